using System.Globalization;
using Ferry.Data.Loading;
using Ferry.Data.Schema;
using Ferry.Data.Validation;
using Spectre.Console;

namespace Ferry.Cli.Rendering;

/// <summary>Terminal views of schemas, warnings and bad rows.</summary>
internal static class DatasetRenderer
{
    public static void WriteSchema(IAnsiConsole console, DatasetSchema schema, long rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Schema[/] ({rows:N0} rows, {schema.Columns.Count} columns)");
        table.AddColumn("Column");
        table.AddColumn("Kind");
        table.AddColumn(new TableColumn("Distinct").RightAligned());
        table.AddColumn(new TableColumn("Missing").RightAligned());
        table.AddColumn("Why");
        foreach (var column in schema.Columns)
        {
            var name = Markup.Escape(column.Name);
            if (column.Name == schema.Label)
            {
                name = $"[bold]{name}[/] [dim](label)[/]";
            }

            var missing = rows == 0 ? "0" : $"{column.MissingCount:N0} ({100.0 * column.MissingCount / rows:0.#}%)";
            table.AddRow(name, Kind(column.Kind), column.Cardinality.ToString("N0", CultureInfo.InvariantCulture), column.MissingCount == 0 ? "[dim]0[/]" : missing, Markup.Escape(column.Reason));
        }

        console.Write(table);
        console.MarkupLine($"[bold]Task:[/] {schema.Task.ToString().ToLowerInvariant()}: {Markup.Escape(schema.TaskReason)}");
    }

    public static void WriteWarnings(IAnsiConsole console, IReadOnlyList<DataWarning> warnings)
    {
        if (warnings.Count == 0)
        {
            console.MarkupLine("[green]No warnings.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Warnings[/] ({warnings.Count})");
        table.AddColumn("");
        table.AddColumn("Finding");
        table.AddColumn("Suggested fix");
        foreach (var warning in warnings.OrderByDescending(w => w.Severity))
        {
            table.AddRow(Severity(warning.Severity), Markup.Escape(warning.Message), Markup.Escape(warning.Fix));
        }

        console.Write(table);
    }

    public static void WriteBadRows(IAnsiConsole console, IReadOnlyList<BadRow> badRows, long total, int show = 10)
    {
        if (total == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold yellow]Bad rows left out[/]: {total:N0}");
        table.AddColumn(new TableColumn("Line").RightAligned());
        table.AddColumn("Column");
        table.AddColumn("Value");
        table.AddColumn("Reason");
        foreach (var row in badRows.Take(show))
        {
            table.AddRow(row.Line.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Column ?? ""), Markup.Escape(row.Value ?? ""), Markup.Escape(row.Reason));
        }

        console.Write(table);
        if (total > show)
        {
            console.MarkupLine($"[dim]... and {total - show:N0} more (all are in the report; --strict stops at the first)[/]");
        }
    }

    public static void WriteNotes(IAnsiConsole console, IReadOnlyList<string> notes)
    {
        foreach (var note in notes)
        {
            console.MarkupLine($"[dim]note:[/] {Markup.Escape(note)}");
        }
    }

    private static string Kind(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => "[blue]numeric[/]",
        ColumnKind.Categorical => "[magenta]categorical[/]",
        ColumnKind.Boolean => "[cyan]boolean[/]",
        ColumnKind.DateTime => "[yellow]datetime[/]",
        ColumnKind.Text => "[green]text[/]",
        ColumnKind.IdLike => "[grey]id-like[/]",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Severity(WarningSeverity severity) => severity switch
    {
        WarningSeverity.Error => "[red bold]error[/]",
        WarningSeverity.Warning => "[yellow]warn[/]",
        _ => "[dim]info[/]",
    };
}
