using System.CommandLine;
using System.Globalization;
using Ferry.Cli.Rendering;
using Ferry.Data.Analysis;
using Ferry.Data.Catalog;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Reports;
using Ferry.Data.Validation;
using Ferry.Learn.Search;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry quickstart</c>: the whole loop Ferry can run so far, on a sample: inspect and version the data,
/// split it reproducibly, and say where to look. It grows with every capability.
/// </summary>
internal static class QuickstartCommand
{
    private const string DefaultSample = "penguins.csv";

    public static Command Create(CliApp app, CliContext context)
    {
        var data = new Option<string?>("--data") { Description = $"The CSV to run on (default: samples/{DefaultSample}, messy real data with missing values)" };
        var label = new Option<string?>("--label") { Description = "Label column (default: detected)" };
        var time = new Option<int>("--time") { Description = "The model search's time budget in seconds", DefaultValueFactory = _ => 20 };
        var command = new Command("quickstart", "Run Ferry's main loop on a sample dataset and print where to look") { data, label, time };
        app.AddExamples(command, "ferry quickstart", "ferry quickstart --data samples/breast_cancer.csv --home /tmp/ferry-demo");
        command.SetAction(async (parse, ct) =>
        {
            var source = parse.GetValue(data) ?? FindSample(context);
            var console = context.Console.Out;
            var home = context.Home(parse);
            var name = Path.GetFileNameWithoutExtension(source);
            var options = new AnalyzeOptions { Label = parse.GetValue(label) };

            console.Write(new Rule("[bold]1. Inspect[/]: schema, task and data problems").LeftJustified());
            var analysis = await DataInspectCommand.Analyze(context, source, options, ct);
            DataInspectCommand.Render(console, analysis);
            var reportFolder = DataInspectCommand.DefaultReportFolder(context, parse, "inspect", source);
            var report = await InspectReportWriter.WriteAsync(DataInspectCommand.ToReport(analysis, name, version: null), reportFolder, ct);

            console.Write(new Rule("[bold]2. Version[/]: record the dataset by content hash").LeftJustified());
            DatasetVersion version;
            await using (var catalog = await DatasetCatalog.OpenAsync(home.StorePath, context.Time, ct))
            {
                var added = await catalog.AddAsync(name, analysis.ContentHash, analysis.Table.RowCount, analysis.Schema, analysis.Profiles, analysis.Source, analysis.Format, analysis.BadRowCount, ct);
                version = added.Version;
                console.MarkupLine(added.Created
                    ? $"[green]Added[/] [bold]{Markup.Escape(version.Ref)}[/] ({version.ContentHash})"
                    : $"[yellow]Unchanged[/]: the content is already [bold]{Markup.Escape(version.Ref)}[/], so no new version was made ({version.ContentHash})");
            }

            console.Write(new Rule("[bold]3. Split[/]: stratified train/validation/test, seed 42").LeftJustified());
            var splitFolder = Path.Combine(home.Root, "splits", $"{version.Name}-v{version.Version}");
            var parts = DataSplitCommand.Plan(analysis.Table, analysis.Schema.Label, seed: 42, validation: 0.15, test: 0.15, folds: null, group: null, time: null);
            if (!Directory.Exists(splitFolder))
            {
                await AtomicDirectory.WriteAsync(splitFolder, async (staging, token) =>
                {
                    foreach (var (part, rows) in parts)
                    {
                        await CsvTableWriter.WriteAsync(analysis.Table.SelectRows(rows), Path.Combine(staging, part + ".csv"), token);
                    }
                }, ct);
            }

            var train = analysis.Table.SelectRows(parts[0].Rows);
            var test = analysis.Table.SelectRows(parts[^1].Rows);
            var overlap = DatasetValidator.CompareSplits(train, test).Where(w => w.Code == "TRAIN_TEST_OVERLAP").ToList();
            foreach (var (part, rows) in parts)
            {
                console.MarkupLine($"  {part,-10} {rows.Length,6:N0} rows");
            }

            console.MarkupLine(overlap.Count == 0
                ? "  [green]No row of the test part also appears in train.[/]"
                : $"  [yellow]{Markup.Escape(overlap[0].Message)}[/]");

            console.Write(new Rule("[bold]4. Track[/]: record what was done as a run").LeftJustified());
            var runId = await TrackAsync(context, parse, analysis, version, parts, report, ct);
            console.MarkupLine($"  run [bold]{runId}[/] in experiment 'quickstart': the dataset version as its input, the split as params and counts");

            console.Write(new Rule($"[bold]5. Search[/]: the model zoo for {parse.GetValue(time)} s, best model packaged and registered as challenger").LeftJustified());
            var settings = new SearchSettings { DataPath = source, Label = analysis.Schema.Label, Budget = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(time))), Seed = 42 };
            var package = Path.Combine(home.Root, "models", $"{name}-{context.Time.GetUtcNow():yyyyMMdd-HHmmss}");
            var (outcome, model) = await TrainCommand.SearchAndRegisterAsync(context, parse, settings, package, name, ct);
            TrainCommand.Print(context, outcome, model);

            console.Write(new Rule($"[bold]6. Predict[/]: score the test part with {Markup.Escape(name)}@challenger, as a batch job would").LeftJustified());
            var predictions = Path.Combine(home.Root, "predictions", $"{name}-test.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(predictions)!);
            await PredictCommand.PredictAsync(context, parse, $"{name}@challenger", Path.Combine(splitFolder, parts[^1].Name + ".csv"), predictions, null, PredictCommand.DefaultBatchSize, ct);

            console.Write(new Rule($"[bold]7. Serve[/]: promote {Markup.Escape(name)}@challenger to champion, serve it over HTTP, send the test part as live traffic with feedback").LeftJustified());
            var traffic = await QuickstartServing.RunAsync(context, parse, name, Path.Combine(splitFolder, parts[^1].Name + ".csv"), analysis.Schema.Label, ct);
            QuickstartServing.Print(context, name, traffic);

            console.Write(new Rule("[bold]Where to look[/]").LeftJustified());
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Data report", Markup.Escape(report));
            grid.AddRow("Store", Markup.Escape(home.StorePath));
            grid.AddRow("Splits", Markup.Escape(splitFolder));
            grid.AddRow("Run", $"ferry runs show {runId}");
            grid.AddRow("Search", $"ferry runs show {outcome.RunId} · ferry runs list --filter \"tags.mlflow.parentRunId = '{outcome.RunId}'\" --order-by \"metrics.score DESC\"");
            grid.AddRow("Model", $"{Markup.Escape(outcome.PackagePath)} · ferry models show {Markup.Escape(name)}@challenger");
            grid.AddRow("Predictions", $"{Markup.Escape(predictions)} · ferry predict {Markup.Escape(name)}@challenger FILE -o out.csv");
            grid.AddRow("Serve", $"ferry server (tracking and models on :5000) · ferry serve (models only, :8080) · ferry deploy {Markup.Escape(name)} --canary VERSION --weight 10 · curl localhost:5000/metrics");
            grid.AddRow("Try", "ferry data list · ferry data show " + Markup.Escape(version.Name) + " · ferry runs list · ferry data inspect FILE --label COLUMN");
            console.Write(grid);
            return CliApp.Success;
        });
        return command;
    }

    private static async Task<string> TrackAsync(CliContext context, ParseResult parse, DatasetAnalysis analysis, DatasetVersion version, List<(string Name, int[] Rows)> parts, string report, CancellationToken ct)
    {
        await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
        var tracker = new Tracker(store, context.Time, openArtifacts: location => TrackingAccess.OpenArtifacts(context, parse, location));
        await using var run = await tracker.StartRunAsync("quickstart", $"prepare-{version.Name}", cancellationToken: ct);
        run.LogParam("dataset", version.Ref);
        run.LogParam("label", analysis.Schema.Label);
        run.LogParam("task", analysis.Schema.Task.ToString().ToLowerInvariant());
        run.LogParam("split.seed", "42");
        foreach (var (part, rows) in parts)
        {
            run.LogMetric($"rows.{part}", rows.Length);
        }

        run.LogMetric("warnings", analysis.Warnings.Count);
        run.LogMetric("bad_rows", analysis.BadRowCount);
        await run.LogInputsAsync([new DatasetInput(version.Name, version.ContentHash, "local", version.SourcePath, null, null, "training")], ct);
        await run.LogArtifactAsync(Path.GetDirectoryName(report)!, "data-report", ct);
        return run.RunId;
    }

    private static string FindSample(CliContext context)
    {
        var starts = new[] { context.Environment("FERRY_REPO"), Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", DefaultSample);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw FerryException.Usage("SAMPLE_NOT_FOUND", $"could not find samples/{DefaultSample}: run from the Ferry checkout, or pass --data FILE");
    }
}
