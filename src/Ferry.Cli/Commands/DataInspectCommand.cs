using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Cli.Rendering;
using Ferry.Data.Analysis;
using Ferry.Data.Reports;
using Ferry.Data.Versioning;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data inspect FILE</c>: schema, task, warnings and a chart report, without recording anything.</summary>
internal static class DataInspectCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A CSV or Parquet file, or an image folder laid out root/<label>/*.png" };
        var test = new Option<string?>("--test") { Description = "A test file to check for rows shared with FILE" };
        var report = new Option<string?>("--report") { Description = "Folder to write the chart report to (default: a new folder under the Ferry home's reports/)" };
        var noReport = new Option<bool>("--no-report") { Description = "Skip the chart report" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var dataset = new DatasetOptions();
        var command = new Command("inspect", "Show a dataset's schema, task, warnings and per-column charts") { file, test, report, noReport, json };
        dataset.AddTo(command);
        app.AddExamples(command,
            "ferry data inspect samples/penguins.csv",
            "ferry data inspect train.csv --label churned --test test.csv",
            "ferry data inspect data.csv --delimiter ';' --no-header --label column_5 --json");

        command.SetAction(async (parse, ct) =>
        {
            var analysis = await Analyze(context, parse.GetValue(file)!, dataset.Read(parse, parse.GetValue(test)), ct);
            string? reportPath = null;
            if (!parse.GetValue(noReport))
            {
                var folder = parse.GetValue(report) ?? DefaultReportFolder(context, parse, "inspect", analysis.Source);
                reportPath = await InspectReportWriter.WriteAsync(ToReport(analysis, title: Path.GetFileName(Path.TrimEndingDirectorySeparator(analysis.Source)), version: null), folder, ct);
            }

            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(ToJson(analysis, reportPath), FerryJson.Indented));
                return CliApp.Success;
            }

            Render(context.Console.Out, analysis);
            if (reportPath is not null)
            {
                context.Console.Out.MarkupLine($"[bold]Report:[/] {Markup.Escape(reportPath)}");
            }

            return CliApp.Success;
        });
        return command;
    }

    public static Task<DatasetAnalysis> Analyze(CliContext context, string path, AnalyzeOptions options, CancellationToken ct) =>
        ProgressRunner.RunAsync(context.Console, $"Reading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", progress => DatasetAnalyzer.AnalyzeAsync(path, options, progress, ct));

    public static void Render(IAnsiConsole console, DatasetAnalysis analysis)
    {
        console.MarkupLine($"[bold]{Markup.Escape(analysis.Source)}[/] [dim]{Markup.Escape(analysis.Format)}, content {ContentHash.Abbreviate(analysis.ContentHash)}[/]");
        DatasetRenderer.WriteNotes(console, analysis.Notes);
        DatasetRenderer.WriteSchema(console, analysis.Schema, analysis.Table.RowCount);
        DatasetRenderer.WriteWarnings(console, analysis.Warnings);
        DatasetRenderer.WriteBadRows(console, analysis.BadRows, analysis.BadRowCount);
    }

    public static string DefaultReportFolder(CliContext context, ParseResult parse, string kind, string source)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(source))
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        var stamp = context.Time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var folder = Path.Combine(context.Home(parse).ReportsPath, $"{kind}-{stem}-{stamp}");
        for (var n = 2; Directory.Exists(folder); n++)
        {
            folder = Path.Combine(context.Home(parse).ReportsPath, $"{kind}-{stem}-{stamp}-{n}");
        }

        return folder;
    }

    public static InspectReport ToReport(DatasetAnalysis a, string title, string? version) =>
        new(title, a.Source, version, a.Format, a.Table.RowCount, a.Schema, a.Profiles, a.Warnings, a.BadRows, a.BadRowCount, a.Notes) { ContentHash = a.ContentHash };

    public static object ToJson(DatasetAnalysis a, string? reportPath) => new
    {
        source = a.Source,
        format = a.Format,
        rows = a.Table.RowCount,
        columns = a.Table.ColumnCount,
        contentHash = a.ContentHash,
        schema = a.Schema,
        warnings = a.Warnings,
        badRowCount = a.BadRowCount,
        badRows = a.BadRows.Take(100),
        notes = a.Notes,
        profiles = a.Profiles,
        report = reportPath,
    };
}
