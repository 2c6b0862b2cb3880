using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Data.Catalog;
using Ferry.Data.Versioning;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data list</c>: the recorded datasets and their latest versions.</summary>
internal static class DataListCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON" };
        var command = new Command("list", "List recorded datasets with their latest version") { json };
        app.AddExamples(command, "ferry data list", "ferry data list --json");
        command.SetAction(async (parse, ct) =>
        {
            var home = context.Home(parse);
            IReadOnlyList<DatasetSummary> datasets = [];
            if (File.Exists(home.StorePath))
            {
                await using var catalog = await DatasetCatalog.OpenAsync(home.StorePath, context.Time, ct);
                datasets = await catalog.ListAsync(ct);
            }

            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(datasets.Select(d => new
                {
                    name = d.Name,
                    versions = d.VersionCount,
                    latest = d.Latest.Version,
                    contentHash = d.Latest.ContentHash,
                    rows = d.Latest.Rows,
                    label = d.Latest.Schema.Label,
                    task = d.Latest.Schema.Task,
                    source = d.Latest.SourcePath,
                    createdAt = d.Latest.CreatedAt,
                }), FerryJson.Indented));
                return CliApp.Success;
            }

            if (datasets.Count == 0)
            {
                context.Console.Out.MarkupLine($"No datasets in {Markup.Escape(home.Root)} yet. Add one with: [bold]ferry data add FILE --name NAME[/]");
                return CliApp.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Name", "Latest", "Versions", "Rows", "Task", "Label", "Content", "Added (UTC)");

            foreach (var d in datasets)
            {
                table.AddRow(
                    $"[bold]{Markup.Escape(d.Name)}[/]", $"@{d.Latest.Version}", d.VersionCount.ToString(CultureInfo.InvariantCulture),
                    d.Latest.Rows.ToString("N0", CultureInfo.InvariantCulture), d.Latest.Schema.Task.ToString().ToLowerInvariant(),
                    Markup.Escape(d.Latest.Schema.Label), ContentHash.Abbreviate(d.Latest.ContentHash),
                    d.Latest.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            context.Console.Out.Write(table);
            return CliApp.Success;
        });
        return command;
    }
}
