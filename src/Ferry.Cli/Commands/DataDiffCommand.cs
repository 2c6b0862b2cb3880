using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Data.Catalog;
using Ferry.Data.Schema;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data diff NAME@1 NAME@2</c>: schema changes and per-column distribution changes between two versions.</summary>
internal static class DataDiffCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var from = new Argument<string>("from") { Description = "The older version, NAME@VERSION" };
        var to = new Argument<string>("to") { Description = "The newer version, NAME@VERSION (or NAME for the latest)" };
        var json = new Option<bool>("--json") { Description = "Print the differences as JSON" };
        var all = new Option<bool>("--all") { Description = "List unchanged columns too" };
        var command = new Command("diff", "Compare two dataset versions: added, removed and retyped columns, shifted distributions") { from, to, json, all };
        app.AddExamples(command, "ferry data diff iris@1 iris@2", "ferry data diff churn@3 churn --json");
        command.SetAction(async (parse, ct) =>
        {
            var a = DatasetRef.Parse(parse.GetValue(from)!);
            var b = DatasetRef.Parse(parse.GetValue(to)!);
            await using var catalog = await DataShowCommand.OpenExistingAsync(context, parse, ct);
            var va = await catalog.GetAsync(a, ct);
            var vb = await catalog.GetAsync(b, ct);
            var diff = DatasetDiffer.Compare(va.Schema, va.Profiles, vb.Schema, vb.Profiles);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    from = va.Ref,
                    to = vb.Ref,
                    sameContent = va.ContentHash == vb.ContentHash,
                    rowCountChange = vb.Rows - va.Rows,
                    severity = diff.Severity,
                    diff.SchemaChanges,
                    columns = diff.Columns,
                }, FerryJson.Indented));
                return CliApp.Success;
            }

            Render(context.Console.Out, va, vb, diff, parse.GetValue(all));
            return CliApp.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, DatasetVersion a, DatasetVersion b, DatasetDiff diff, bool all)
    {
        console.MarkupLine($"[bold]{Markup.Escape(a.Ref)}[/] ({a.Rows:N0} rows) → [bold]{Markup.Escape(b.Ref)}[/] ({b.Rows:N0} rows)");
        if (a.ContentHash == b.ContentHash)
        {
            console.MarkupLine("[green]Same content.[/]");
            return;
        }

        foreach (var change in diff.SchemaChanges)
        {
            console.MarkupLine($"{Severity(change.Severity)} {Markup.Escape(change.Message)}");
        }

        var rows = diff.Columns.Where(c => all || c.Severity != ChangeSeverity.None).ToList();
        if (rows.Count == 0)
        {
            console.MarkupLine(diff.SchemaChanges.Count == 0 ? "[green]No schema or distribution changes beyond the thresholds.[/]" : "[green]No distribution changes in the shared columns.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Column changes[/]");
        table.AddColumn("Column");
        table.AddColumn("");
        table.AddColumn(new TableColumn("Missing").RightAligned());
        table.AddColumn(new TableColumn("Mean shift (sd)").RightAligned());
        table.AddColumn(new TableColumn("PSI").RightAligned());
        table.AddColumn("Categories");
        table.AddColumn("Notes");
        foreach (var c in rows)
        {
            var missing = Math.Abs(c.MissingRateB - c.MissingRateA) < 1e-12 ? $"{c.MissingRateA:P1}" : $"{c.MissingRateA:P1} → {c.MissingRateB:P1}";
            var shift = c.Numeric?.MeanShiftInStd is { } s ? s.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) : "";
            var psi = c.Numeric?.Psi is { } p ? p.ToString("0.000", CultureInfo.InvariantCulture) : "";
            var categories = c.Categories is { } cat
                ? string.Join("; ", new[]
                {
                    cat.NewCategories.Count > 0 ? $"new: {string.Join(", ", cat.NewCategories.Take(5))}" : null,
                    cat.VanishedCategories.Count > 0 ? $"gone: {string.Join(", ", cat.VanishedCategories.Take(5))}" : null,
                    $"TV {cat.TotalVariation:0.000}",
                }.Where(x => x is not null))
                : "";
            table.AddRow(Markup.Escape(c.Name), Severity(c.Severity), missing, shift, psi, Markup.Escape(categories), Markup.Escape(string.Join("; ", c.Notes)));
        }

        console.Write(table);
    }

    private static string Severity(ChangeSeverity severity) => severity switch
    {
        ChangeSeverity.Major => "[red]major[/]",
        ChangeSeverity.Minor => "[yellow]minor[/]",
        _ => "[dim]none[/]",
    };
}
