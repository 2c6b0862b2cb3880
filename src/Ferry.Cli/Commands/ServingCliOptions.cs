using System.CommandLine;
using System.Globalization;
using Ferry.Hosting.Serving;
using Ferry.Serving.Protocols;
using Ferry.Serving.Sources;

namespace Ferry.Cli.Commands;

/// <summary>The serving options <c>ferry serve</c> and <c>ferry server</c> share, and how they become <see cref="ServingOptions"/>.</summary>
internal sealed class ServingCliOptions
{
    private readonly Option<string?> _models = new("--models") { Description = "Serve a folder of packages laid out NAME/VERSION/ instead of the registry (highest version serves)" };
    private readonly Option<string[]> _only = new("--model") { Description = "Serve only this registered model (repeat for more; default: all)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _alias = new("--alias") { Description = "The registry alias whose version serves (a model without it serves its latest version)", DefaultValueFactory = _ => DeploymentTags.Champion };
    private readonly Option<bool> _rejectMissing = new("--reject-missing") { Description = "Refuse null or missing values with a 400 instead of letting the model impute them" };
    private readonly Option<int> _keep = new("--keep-latest") { Description = "Keep this many of each model's highest versions loaded, each callable by number", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _noBatching = new("--no-batching") { Description = "Predict each request on its own instead of merging concurrent ones" };
    private readonly Option<int> _maxBatch = new("--max-batch") { Description = "Largest batch in rows", DefaultValueFactory = _ => 64 };
    private readonly Option<int> _batchWait = new("--batch-wait-us") { Description = "Longest a request waits for others to join its batch, in microseconds (0: batch only what queues while the model is busy)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _queue = new("--queue") { Description = "Requests waiting per model version before the server answers 503", DefaultValueFactory = _ => 1024 };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds a request may take before it fails with 503", DefaultValueFactory = _ => 10 };
    private readonly Option<double> _poll = new("--poll") { Description = "Seconds between reads of the registry or model folder (a rollback takes effect within it)", DefaultValueFactory = _ => 2 };
    private readonly Option<double> _sample = new("--log-sample") { Description = "Share of requests written to the prediction log, 0 to 1", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _unknown = new("--unknown-categories") { Description = "What to do with a category the model never saw: reject (400) or missing", DefaultValueFactory = _ => "reject" };
    private readonly Option<bool> _logRequests = new("--log-requests") { Description = "Log every request (id, path, version, status, milliseconds), not only model loads" };
    private readonly Option<string[]> _apiKeys = new("--api-key") { Description = "Require this key for inference (repeatable; or FERRY_API_KEY)" };
    private readonly Option<string[]> _adminKeys = new("--admin-key") { Description = "Require this key for management and allow inference with it (repeatable; or FERRY_ADMIN_KEY)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _models, _only, _alias, _keep, _rejectMissing, _noBatching, _maxBatch, _batchWait, _queue, _timeout, _poll, _sample, _unknown, _logRequests, _apiKeys, _adminKeys })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options given, checked.</summary>
    public ServingOptions Read(ParseResult parse, CliContext context)
    {
        var unknown = parse.GetValue(_unknown)!.ToLowerInvariant() switch
        {
            "reject" => UnknownCategoryHandling.Reject,
            "missing" => UnknownCategoryHandling.MapToMissing,
            var other => throw FerryException.Usage("SERVING_OPTION_INVALID", $"--unknown-categories is '{other}'; give reject or missing"),
        };
        var poll = Seconds(parse.GetValue(_poll), "--poll");
        if (parse.GetValue(_models) is { } models && !Directory.Exists(models))
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", $"--models names {models}, which is not a folder; give a folder with one subfolder per model (NAME/1/, NAME/2/ ...)");
        }

        var options = new ServingOptions
        {
            Flavors = CliContext.Flavors(),
            ModelsFolder = parse.GetValue(_models) is { } folder ? Path.GetFullPath(folder) : null,
            Models = parse.GetValue(_only) ?? [],
            KeepLatest = parse.GetValue(_keep),
            Alias = parse.GetValue(_alias)!,
            Manager = new Ferry.Serving.Management.ManagerOptions { PollInterval = poll },
            Batching = new Ferry.Serving.Batching.BatchingOptions
            {
                Enabled = !parse.GetValue(_noBatching),
                MaxBatchRows = parse.GetValue(_maxBatch),
                MaxWait = TimeSpan.FromMicroseconds(parse.GetValue(_batchWait)),
                MaxQueuedRequests = parse.GetValue(_queue),
                RequestTimeout = Seconds(parse.GetValue(_timeout), "--timeout"),
            },
            Input = InputPolicy.Default with { UnknownCategory = unknown, AllowMissingValues = !parse.GetValue(_rejectMissing) },
            PredictionLogSampleRate = parse.GetValue(_sample),
            LogRequests = parse.GetValue(_logRequests),
            InferenceKeys = Keys(parse.GetValue(_apiKeys), "FERRY_API_KEY"),
            ManagementKeys = Keys(parse.GetValue(_adminKeys), "FERRY_ADMIN_KEY"),
        };
        options.Validate();
        return options;
    }

    private static TimeSpan Seconds(double value, string option) =>
        value is > 0 and <= 86_400 ? TimeSpan.FromSeconds(value)
            : throw FerryException.Usage("SERVING_OPTION_INVALID", $"{option} is {value.ToString(CultureInfo.InvariantCulture)}; give seconds above 0");

    private static string[] Keys(string[]? given, string variable) =>
        given is { Length: > 0 } ? given
            : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? [fromEnvironment]
            : [];
}
