using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Data.Analysis;
using Ferry.Data.Loading;
using Ferry.Learn.Onnx;
using Ferry.Serving.Sources;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Ferry.Tracking.Registry;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry models import model.onnx --name NAME</c>: checks that ONNX Runtime loads the file, reads its signature from the
/// graph, writes a Ferry package (flavor onnx), logs it as the artifact of a tracked <c>import</c> run and registers it as
/// the next version of NAME with that run as its source and lineage. Nothing is registered when any step fails.
/// </summary>
internal static class ModelsImportCommand
{
    /// <summary>The artifact folder the package is logged under, so the version's source is <c>runs:/RUN/model</c>.</summary>
    public const string ArtifactName = "model";

    public static Command Create(CliApp app, CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .onnx file" };
        var name = new Option<string>("--name") { Description = "The registered model to add a version to (created if new)", Required = true };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression (default: inferred from the outputs)" };
        var classes = new Option<string?>("--classes") { Description = "Class labels in probability order, comma-separated (default: from the graph, else 0..C-1)" };
        var columns = new Option<string?>("--columns") { Description = "Names of the features of a single [N, F] input, comma-separated (default: f0..f{F-1})" };
        var columnsFrom = new Option<string?>("--columns-from") { Description = "Take those names from a CSV or Parquet file's header (its label column is left out)" };
        var alias = new Option<string>("--alias") { Description = "The alias the new version gets", DefaultValueFactory = _ => DeploymentTags.Challenger };
        var command = new Command("import", "Import an ONNX model: check it loads, read its signature, package, track and register it")
        {
            file, name, task, classes, columns, columnsFrom, alias,
        };
        app.AddExamples(command,
            "ferry models import iris.onnx --name iris --classes setosa,versicolor,virginica --columns-from samples/iris.csv",
            "ferry models import churn.onnx --name churn --task binary");
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(columns) is not null && parse.GetValue(columnsFrom) is not null)
            {
                throw FerryException.Usage("OPTION_INVALID", "give --columns or --columns-from, not both");
            }

            var options = new OnnxImportOptions
            {
                Task = DatasetOptions.TaskOf(parse.GetValue(task)),
                Classes = List(parse.GetValue(classes)),
                Columns = List(parse.GetValue(columns)),
                HeaderColumns = parse.GetValue(columnsFrom) is { } sample ? await HeaderAsync(sample, ct) : null,
            };
            var modelName = parse.GetValue(name)!;
            var import = await OnnxImporter.InspectAsync(parse.GetValue(file)!, options, ct);
            var (version, runId) = await TrackAndRegisterAsync(context, parse, modelName, parse.GetValue(alias)!, import, ct);
            Print(context, import, version, runId, parse.GetValue(alias)!);
            return CliApp.Success;
        });
        return command;
    }

    private static async Task<(ModelVersion Version, string RunId)> TrackAndRegisterAsync(
        CliContext context, ParseResult parse, string name, string alias, OnnxImport import, CancellationToken ct)
    {
        await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
        var registry = store as IModelRegistry
            ?? throw FerryException.Usage("REGISTRY_UNAVAILABLE", "this tracking store has no model registry; use Ferry's SQLite or PostgreSQL store");
        await using var tracker = new Tracker(store, context.Time, openArtifacts: location => TrackingAccess.OpenArtifacts(context, parse, location));
        var run = await tracker.StartRunAsync(name, "import", cancellationToken: ct);
        var staging = Directory.CreateTempSubdirectory("ferry-import-");
        try
        {
            run.LogParam("source", Path.GetFileName(import.SourcePath));
            run.LogParam("source.sha256", import.Sha256);
            run.LogParam("task", import.Signature.Task.ToString().ToLowerInvariant());
            run.LogParam("inputs", import.Signature.Inputs.Count.ToString(CultureInfo.InvariantCulture));
            if (import.Signature.Classes.Count > 0)
            {
                run.LogParam("classes", Shorten(string.Join(",", import.Signature.Classes)));
            }

            run.SetTag("ferry.import.source", import.SourcePath);
            var package = Path.Combine(staging.FullName, ArtifactName);
            await OnnxImporter.WritePackageAsync(package, import, run.RunId, context.Time, ct);
            await run.LogArtifactAsync(package, cancellationToken: ct);
            await run.EndAsync(RunStatus.Finished, ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await run.EndAsync(ct.IsCancellationRequested ? RunStatus.Killed : RunStatus.Failed, CancellationToken.None);
            throw;
        }
        finally
        {
            await run.DisposeAsync();
            staging.Delete(recursive: true);
        }

        try
        {
            await registry.CreateRegisteredModelAsync(name, $"Imported from ONNX ({import.Signature.Task.ToString().ToLowerInvariant()})", null, CancellationToken.None);
        }
        catch (FerryException e) when (e.Kind == ErrorKind.Conflict)
        {
            // The model exists: this is its next version.
        }

        var version = await registry.CreateModelVersionAsync(
            new CreateModelVersionRequest(name, $"runs:/{run.RunId}/{ArtifactName}", run.RunId, $"Imported from {Path.GetFileName(import.SourcePath)} (sha256 {import.Sha256})",
                Signature: JsonSerializer.Serialize(import.Signature, FerryJson.Compact)),
            CancellationToken.None);
        await registry.SetRegisteredModelAliasAsync(name, alias, version.Version, CancellationToken.None);
        return (version, run.RunId);
    }

    private static void Print(CliContext context, OnnxImport import, ModelVersion version, string runId, string alias)
    {
        var output = context.Console.Out;
        var signature = import.Signature;
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Signature read from the graph[/]");
        table.AddColumns("Column", "Kind", "Graph input");
        for (var i = 0; i < signature.Inputs.Count; i++)
        {
            table.AddRow(Markup.Escape(signature.Inputs[i].Name), signature.Inputs[i].Kind.ToString().ToLowerInvariant(), Markup.Escape(import.InputTypes[i]));
        }

        output.Write(table);
        output.MarkupLine($"Task: [bold]{signature.Task.ToString().ToLowerInvariant()}[/]"
            + (signature.Classes.Count > 0 ? $", classes: {Markup.Escape(string.Join(", ", signature.Classes))}" : ""));
        output.MarkupLine($"Output: {Markup.Escape(import.Output)}");
        foreach (var note in import.Notes)
        {
            output.MarkupLine($"[grey]note[/] {Markup.Escape(note)}");
        }

        output.MarkupLine($"Registered [bold]{Markup.Escape(version.Name)}[/] version {version.Version} with alias [bold]{Markup.Escape(alias)}[/] (import run {runId}, sha256 {import.Sha256})");
    }

    private static async Task<IReadOnlyList<string>> HeaderAsync(string path, CancellationToken ct)
    {
        var load = await DatasetAnalyzer.LoadTableAsync(path, new TableLoadOptions(), null, ct);
        return [.. load.Table.Columns.Select(c => c.Name)];
    }

    private static List<string>? List(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..497] + "...";
}
