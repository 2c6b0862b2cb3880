using System.CommandLine;
using System.Text.Json;
using Ferry.Data.Catalog;
using Ferry.Data.Versioning;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data add FILE --name NAME</c>: record a dataset version in the store.</summary>
internal static class DataAddCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A CSV or Parquet file, or an image folder laid out root/<label>/*.png" };
        var name = new Option<string?>("--name") { Description = "Dataset name (default: the file name without extension)" };
        var json = new Option<bool>("--json") { Description = "Print the recorded version as JSON" };
        var dataset = new DatasetOptions();
        var command = new Command("add", "Record a dataset version: same content is the same version, changed content the next one") { file, name, json };
        dataset.AddTo(command);
        app.AddExamples(command, "ferry data add samples/iris.csv --name iris", "ferry data add exports/customers.csv --name churn --label churned --strict");

        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var datasetName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path));
            DatasetNames.Validate(datasetName);
            var result = await AddAsync(context, parse, path, datasetName, dataset.Read(parse), ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(new { created = result.Created, version = result.Version }, FerryJson.Indented));
            }

            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Analyses the file, then records it in one transaction; nothing is written if anything fails first.</summary>
    public static async Task<AddDatasetResult> AddAsync(CliContext context, ParseResult parse, string path, string name, Data.Analysis.AnalyzeOptions options, CancellationToken ct)
    {
        var analysis = await DataInspectCommand.Analyze(context, path, options, ct);
        var home = context.Home(parse);
        await using var catalog = await DatasetCatalog.OpenAsync(home.StorePath, context.Time, ct);
        var result = await catalog.AddAsync(name, analysis.ContentHash, analysis.Table.RowCount, analysis.Schema, analysis.Profiles,
            analysis.Source, analysis.Format, analysis.BadRowCount, ct);
        var v = result.Version;
        var console = parse.GetValue<bool>("--json") ? context.Console.Error : context.Console.Out;
        console.MarkupLine(result.Created
            ? $"[green]Added[/] [bold]{Markup.Escape(v.Ref)}[/]: {v.Rows:N0} rows, {v.Schema.Task.ToString().ToLowerInvariant()} on '{Markup.Escape(v.Schema.Label)}', content {ContentHash.Abbreviate(v.ContentHash)}"
            : $"[yellow]Unchanged[/]: this content is already [bold]{Markup.Escape(v.Ref)}[/] (content {ContentHash.Abbreviate(v.ContentHash)})");
        if (analysis.BadRowCount > 0)
        {
            console.MarkupLine($"[yellow]{analysis.BadRowCount:N0} bad rows were left out[/] (see: ferry data inspect {Markup.Escape(path)})");
        }

        return result;
    }
}
