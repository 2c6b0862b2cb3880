using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Cli.Rendering;
using Ferry.Data.Catalog;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data show NAME[@VERSION]</c>: one version's record, schema and the dataset's history.</summary>
internal static class DataShowCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var reference = new Argument<string>("dataset") { Description = "NAME (latest version) or NAME@VERSION" };
        var json = new Option<bool>("--json") { Description = "Print the version as JSON" };
        var command = new Command("show", "Show a dataset version: hash, source, schema, and the list of versions") { reference, json };
        app.AddExamples(command, "ferry data show iris", "ferry data show iris@1 --json");
        command.SetAction(async (parse, ct) =>
        {
            var wanted = DatasetRef.Parse(parse.GetValue(reference)!);
            await using var catalog = await OpenExistingAsync(context, parse, ct);
            var version = await catalog.GetAsync(wanted, ct);
            var history = await catalog.GetVersionsAsync(wanted.Name, ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(version, FerryJson.Indented));
                return CliApp.Success;
            }

            var console = context.Console.Out;
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]Dataset[/]", Markup.Escape(version.Ref));
            grid.AddRow("[bold]Content[/]", version.ContentHash);
            grid.AddRow("[bold]Source[/]", Markup.Escape(version.SourcePath));
            grid.AddRow("[bold]Read as[/]", Markup.Escape(version.Format));
            grid.AddRow("[bold]Added[/]", version.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
            grid.AddRow("[bold]Bad rows[/]", version.BadRowCount.ToString("N0", CultureInfo.InvariantCulture));
            console.Write(grid);
            DatasetRenderer.WriteSchema(console, version.Schema, version.Rows);

            var versions = new Table().Border(TableBorder.Rounded).Title("[bold]Versions[/]");
            versions.AddColumn("Version");
            versions.AddColumn("Content");
            versions.AddColumn(new TableColumn("Rows").RightAligned());
            versions.AddColumn("Added (UTC)");
            foreach (var v in history)
            {
                var mark = v.Version == version.Version ? " [green]<[/]" : "";
                versions.AddRow($"@{v.Version}{mark}", Data.Versioning.ContentHash.Abbreviate(v.ContentHash), v.Rows.ToString("N0", CultureInfo.InvariantCulture),
                    v.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            console.Write(versions);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Opens the catalog of the home, or says there is none rather than creating an empty store.</summary>
    public static async Task<DatasetCatalog> OpenExistingAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        var home = context.Home(parse);
        if (!File.Exists(home.StorePath))
        {
            throw FerryException.NotFound("STORE_NOT_FOUND", $"no Ferry store in {home.Root}: add a dataset first (ferry data add FILE --name NAME) or pass --home");
        }

        return await DatasetCatalog.OpenAsync(home.StorePath, context.Time, ct);
    }
}
