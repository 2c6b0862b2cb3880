using System.CommandLine;
using Ferry.Tracking.Artifacts;

namespace Ferry.Cli;

/// <summary>What every command needs: the consoles, the clock, the environment and the global options.</summary>
internal sealed class CliContext
{
    private static readonly IReadOnlyList<Ferry.Learn.Training.ILearner> ZooLearners =
        [.. Ferry.Learn.Learners.MlNet.MlNetZoo.All, new Ferry.Learn.Learners.Linear.RidgeLearner(), new Ferry.Learn.Torch.Mlp.MlpLearner(Ferry.Learn.Torch.TorchOptions.Default)];

    public CliContext(CliConsole console, TimeProvider time, Func<string, string?> environment)
    {
        Console = console;
        Time = time;
        Environment = environment;
    }

    public CliConsole Console { get; }

    public TimeProvider Time { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>The <c>--home</c> option, available on every command.</summary>
    public Option<string?> HomeOption { get; } = new("--home")
    {
        Description = "Ferry home folder holding the store and reports (default: $FERRY_HOME, else ./.ferry)",
        Recursive = true,
    };

    /// <summary>The <c>--store</c> option, available on every command.</summary>
    public Option<string?> StoreOption { get; } = new("--store")
    {
        Description = "Tracking store: a SQLite file path or postgresql://user:pass@host:port/db (default: $FERRY_STORE, else the home's ferry.db)",
        Recursive = true,
    };

    /// <summary>The <c>--artifacts</c> option, available on every command.</summary>
    public Option<string?> ArtifactsOption { get; } = new("--artifacts")
    {
        Description = "Artifact store: a folder, file:///abs/folder or s3://bucket/prefix (default: $FERRY_ARTIFACTS, else the home's artifacts folder; "
            + "S3-compatible servers via $MLFLOW_S3_ENDPOINT_URL, keys via $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY)",
        Recursive = true,
    };

    public FerryHome Home(ParseResult parse) => FerryHome.Resolve(parse.GetValue(HomeOption), Environment("FERRY_HOME"));

    /// <summary>The tracking store URI: <c>--store</c>, else <c>FERRY_STORE</c>, else the home's SQLite file.</summary>
    public string StoreUri(ParseResult parse) =>
        parse.GetValue(StoreOption) is { Length: > 0 } option ? option
        : Environment("FERRY_STORE") is { Length: > 0 } environment ? environment
        : Home(parse).StorePath;

    /// <summary>Where artifacts live: <c>--artifacts</c>, else <c>FERRY_ARTIFACTS</c>, else the home's artifacts folder (where <c>ferry server</c> keeps proxied uploads).</summary>
    public string ArtifactsUri(ParseResult parse) =>
        parse.GetValue(ArtifactsOption) is { Length: > 0 } option ? option
        : Environment("FERRY_ARTIFACTS") is { Length: > 0 } environment ? environment
        : Path.Combine(Home(parse).Root, "artifacts");

    /// <summary>
    /// The learners <c>ferry train</c> searches: the ML.NET zoo and the TorchSharp MLP, cheapest first (the search
    /// interleaves their portfolios in this order). The MLP trains on one libtorch thread per fit, like the ML.NET
    /// trainers: the search's parallelism comes from running trials side by side, one per core.
    /// </summary>
    public static IReadOnlyList<Ferry.Learn.Training.ILearner> Zoo() => ZooLearners;

    /// <summary>The model runtimes the CLI loads packages with (<c>ferry predict</c>, serving): ML.NET, TorchSharp and ONNX Runtime.</summary>
    public static Ferry.Learn.Packaging.ModelFlavors Flavors() =>
        Ferry.Learn.Packaging.ModelFlavors.Builtin.With(new Ferry.Learn.Torch.TorchFlavor()).With(new Ferry.Learn.Onnx.OnnxFlavor());

    /// <summary>How to reach S3 for <c>s3://</c> artifact locations, from this context's environment.</summary>
    public S3ArtifactStoreOptions S3Options() => S3ArtifactStoreOptions.FromEnvironment(Environment);
}
