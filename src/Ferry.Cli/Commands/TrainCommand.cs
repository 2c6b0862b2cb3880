using System.CommandLine;
using System.Globalization;
using Ferry.Cli.Rendering;
using Ferry.Data.Schema;
using Ferry.Learn.Config;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Search;
using Ferry.Learn.Training;
using Ferry.Serving.Sources;
using Ferry.Tracking.Client;
using Ferry.Tracking.Registry;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry train</c>: a time-boxed search over the model zoo, tracked, packaged and optionally registered.</summary>
internal static class TrainCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var file = new Argument<string?>("FILE") { Description = "The table to learn from (CSV or Parquet), or a folder of images with one subfolder per class; optional with --config", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config", "-c") { Description = "A ferry.yaml (see `ferry init`); options given here override it" };
        var label = new Option<string?>("--label") { Description = "The column to predict (default: inferred)" };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression (default: inferred)" };
        var metric = new Option<string?>("--metric") { Description = "The metric to optimise, e.g. roc_auc, macro_f1, r2 (default: chosen for the data)" };
        var time = new Option<int?>("--time") { Description = "The time budget in seconds, search and refit included (default 60)" };
        var include = new Option<string?>("--include") { Description = "Only these learners, comma-separated" };
        var exclude = new Option<string?>("--exclude") { Description = "Leave these learners out, comma-separated" };
        var register = new Option<string?>("--register") { Description = "Register the model under this name with alias challenger" };
        var seed = new Option<int?>("--seed") { Description = "The random seed (default 42)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "One trial at a time, a fixed number of trials: the same seed gives the same leaderboard" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the model package (default: the home's models/ folder)" };
        var noEnsemble = new Option<bool>("--no-ensemble") { Description = "Do not let a weighted ensemble of the best trials compete with them (also `ensemble: false` in ferry.yaml)" };
        var pixels = new Option<bool>("--pixels") { Description = TrainSearches.PixelsDescription };
        var command = new Command("train", "Search the model zoo within a time budget and package the best model")
        {
            file, config, label, task, metric, time, include, exclude, register, seed, deterministic, noEnsemble, output, pixels,
        };
        app.AddExamples(command,
            "ferry train samples/breast_cancer.csv --label target --time 30",
            "ferry train photos/ --time 300 --register defects",
            "ferry train samples/digits.csv --pixels --time 60",
            "ferry train churn.csv --label churned --metric pr_auc --register churn",
            "ferry train -c ferry.yaml --deterministic --seed 7");
        command.SetAction(async (parse, ct) =>
        {
            var yaml = parse.GetValue(config) is { } path ? await TrainingConfigReader.ReadAsync(path, ct) : new TrainingConfig();
            var baseFolder = parse.GetValue(config) is { } configPath ? Path.GetDirectoryName(Path.GetFullPath(configPath))! : Directory.GetCurrentDirectory();
            var data = parse.GetValue(file) ?? (yaml.Data is { } d ? Path.Combine(baseFolder, d) : null)
                ?? throw FerryException.Usage("TRAIN_NO_DATA", "give the data file: `ferry train FILE` or `data:` in the config");
            var settings = new SearchSettings
            {
                DataPath = data,
                Label = parse.GetValue(label) ?? yaml.Label,
                Task = DatasetOptions.TaskOf(parse.GetValue(task) ?? yaml.Task),
                Metric = (parse.GetValue(metric) ?? yaml.Metric) is { } m ? MetricCatalog.Parse(m) : null,
                Budget = TimeSpan.FromSeconds(Positive(parse.GetValue(time) ?? yaml.TimeSeconds ?? 60, "--time")),
                Include = List(parse.GetValue(include)) ?? yaml.Include,
                Exclude = List(parse.GetValue(exclude)) ?? yaml.Exclude,
                Seed = parse.GetValue(seed) ?? yaml.Seed ?? 42,
                Deterministic = parse.GetValue(deterministic) || yaml.Deterministic == true,
                TestShare = yaml.Split?.Test ?? 0.2,
                ValidationShare = yaml.Split?.Validation ?? 0.2,
                Folds = yaml.Split?.Folds,
                Space = yaml.Space,
                GroupColumn = yaml.Split?.Group,
                TimeColumn = yaml.Split?.Time,
                Ensemble = !parse.GetValue(noEnsemble) && yaml.Ensemble != false,
            };
            var modelName = parse.GetValue(register) ?? yaml.Register;
            var home = context.Home(parse);
            var packageFolder = Path.GetFullPath(parse.GetValue(output)
                ?? Path.Combine(home.Root, "models", $"{AutoSearch.ExperimentName(settings)}-{context.Time.GetUtcNow():yyyyMMdd-HHmmss}"));
            var search = TrainSearches.For(context, data, parse.GetValue(pixels));
            var (outcome, version) = await SearchAndRegisterAsync(context, parse, search, settings, packageFolder, modelName, ct);
            Print(context, outcome, version);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Runs a tracked search of the tabular zoo into <paramref name="packageFolder"/> and, given a name, registers the result with alias challenger.</summary>
    public static Task<(SearchOutcome Outcome, ModelVersion? Version)> SearchAndRegisterAsync(
        CliContext context, ParseResult parse, SearchSettings settings, string packageFolder, string? modelName, CancellationToken ct) =>
        SearchAndRegisterAsync(context, parse, new AutoSearch(CliContext.Zoo(), context.Time), settings, packageFolder, modelName, ct);

    /// <summary>Runs a tracked <paramref name="search"/> into <paramref name="packageFolder"/> and, given a name, registers the result with alias challenger.</summary>
    public static async Task<(SearchOutcome Outcome, ModelVersion? Version)> SearchAndRegisterAsync(
        CliContext context, ParseResult parse, IModelSearch search, SearchSettings settings, string packageFolder, string? modelName, CancellationToken ct)
    {
        await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
        await using var tracker = new Tracker(store, context.Time, openArtifacts: location => TrackingAccess.OpenArtifacts(context, parse, location));
        var outcome = await RunWithLiveTableAsync(context, search, settings, packageFolder, tracker, ct);
        var version = modelName is not null && store is IModelRegistry registry
            ? await RegisterAsync(registry, modelName, outcome, CancellationToken.None)
            : null;
        return (outcome, version);
    }

    private static async Task<SearchOutcome> RunWithLiveTableAsync(CliContext context, IModelSearch search, SearchSettings settings, string packageFolder, Tracker tracker, CancellationToken ct)
    {
        var metricName = settings.Metric is { } m ? MetricCatalog.NameOf(m) : "score";
        if (!context.Console.Interactive)
        {
            search.StageChanged += stage => context.Console.Error.MarkupLine($"[grey]{Markup.Escape(stage)}[/]");
            return await search.RunAsync(settings, packageFolder, tracker, ct);
        }

        IReadOnlyList<TrialResult> latest = [];
        var stageText = "starting";
        return await context.Console.Error.Live(LeaderboardRenderer.Render(latest, metricName, status: stageText))
            .AutoClear(false)
            .StartAsync(async live =>
            {
                search.StageChanged += stage =>
                {
                    stageText = stage;
                    live.UpdateTarget(LeaderboardRenderer.Render(latest, metricName, status: stageText));
                };
                search.LeaderboardChanged += ranked =>
                {
                    latest = ranked;
                    live.UpdateTarget(LeaderboardRenderer.Render(latest, metricName, status: stageText));
                };
                return await search.RunAsync(settings, packageFolder, tracker, ct);
            });
    }

    private static async Task<ModelVersion> RegisterAsync(IModelRegistry registry, string name, SearchOutcome outcome, CancellationToken ct)
    {
        try
        {
            await registry.CreateRegisteredModelAsync(name, $"Trained by ferry train ({outcome.Schema.Task.ToString().ToLowerInvariant()}, label '{outcome.Schema.Label}')", null, ct);
        }
        catch (FerryException e) when (e.Kind == ErrorKind.Conflict)
        {
            // The model exists: this is its next version.
        }

        var version = await registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"runs:/{outcome.RunId}/{Path.GetFileName(outcome.PackagePath)}", outcome.RunId,
            $"{outcome.Best.Learner}: validation {MetricCatalog.NameOf(outcome.Metric)} {outcome.Best.Score:0.0000}", DatasetVersions: [outcome.DatasetHash]), ct);
        await registry.SetRegisteredModelAliasAsync(name, DeploymentTags.Challenger, version.Version, ct);
        return version;
    }

    public static void Print(CliContext context, SearchOutcome outcome, ModelVersion? version)
    {
        var metric = MetricCatalog.NameOf(outcome.Metric);
        var output = context.Console.Out;
        output.Write(LeaderboardRenderer.Render(outcome.Leaderboard, metric, status: outcome.StoppedEarly ? "Stopped early (Ctrl+C): finished trials kept" : "Leaderboard"));
        foreach (var choice in outcome.Defaults)
        {
            output.MarkupLine($"[grey]default[/] {Markup.Escape(choice.Setting)} = [bold]{Markup.Escape(choice.Value)}[/]: {Markup.Escape(choice.Reason)}");
        }

        output.MarkupLine($"Best: [bold]{Markup.Escape(outcome.Best.Learner)}[/] (trial {outcome.Best.Number}), validation {Markup.Escape(metric)} {outcome.Best.Score:0.0000}");
        output.MarkupLine("Test set (untouched until now): " + string.Join(", ", outcome.TestMetrics.Select(p => $"{p.Key} {p.Value.ToString("0.0000", CultureInfo.InvariantCulture)}")));
        output.MarkupLine($"Model package: [bold]{Markup.Escape(outcome.PackagePath)}[/]");
        if (outcome.RunId is not null)
        {
            output.MarkupLine($"Search run: [bold]{outcome.RunId}[/] (ferry runs show {outcome.RunId})");
        }

        if (version is not null)
        {
            output.MarkupLine($"Registered [bold]{Markup.Escape(version.Name)}[/] version {version.Version} with alias [bold]challenger[/]");
        }
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw FerryException.Usage("OPTION_INVALID", $"{option} is {value}; give a positive number of seconds");

    private static List<string>? List(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
