using System.Globalization;
using System.Net;
using System.Text;
using Ferry.Data.Schema;
using Ferry.Data.Validation;

namespace Ferry.Data.Reports;

/// <summary>
/// Builds the self-contained index.html of an inspect report: inline CSS, no scripts, no external assets.
/// Every string that came from the data goes through <see cref="WebUtility.HtmlEncode(string?)"/>.
/// </summary>
internal static class InspectHtml
{
    /// <summary>How many bad rows are listed; the total is always shown.</summary>
    public const int MaxBadRowsShown = 100;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;line-height:1.45}
        h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
        table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee;vertical-align:top}
        th{background:#f6f6f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
        dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem}dl.summary dt{font-weight:600}dl.summary dd{margin:0;overflow-wrap:anywhere}
        code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
        .sev{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:.8rem;font-weight:600}
        .sev-error{background:#fde2e1;color:#a1160a}.sev-warning{background:#fff1cc;color:#7a5200}.sev-info{background:#e3effd;color:#124f8c}
        .label-tag{background:#ffe7cc;color:#8a4300;border-radius:.6rem;padding:0 .45rem;font-size:.75rem;margin-left:.4rem}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1.2rem}
        figure{margin:0;border:1px solid #eee;border-radius:.4rem;padding:.5rem;background:#fff}figure img{width:100%;height:auto}
        figcaption{font-size:.85rem;color:#555;overflow-wrap:anywhere}.muted{color:#666}
        """;

    public static string Build(InspectReport report, IReadOnlyList<string> chartPaths, int chartsOmitted)
    {
        var html = new StringBuilder(16 * 1024);
        var title = Encode(report.Title);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n")
            .Append("<title>").Append(title).Append(" · Ferry data inspect</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(title).Append("</h1>\n<p class=\"muted\">Ferry data inspect report</p>\n");

        AppendSummary(html, report);
        AppendNotes(html, report.Notes);
        AppendWarnings(html, report.Warnings);
        AppendSchema(html, report);
        AppendBadRows(html, report);
        AppendCharts(html, report, chartPaths, chartsOmitted);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendSummary(StringBuilder html, InspectReport report)
    {
        var schema = report.Schema;
        html.Append("<h2 id=\"summary\">Summary</h2>\n<dl class=\"summary\">\n");
        Term(html, "Source", $"<code>{Encode(report.Source)}</code>");
        Term(html, "Format", Encode(report.Format));
        if (report.Version is { } version)
        {
            Term(html, "Version", $"<code>{Encode(version)}</code>");
        }

        if (report.ContentHash is { } hash)
        {
            Term(html, "Content hash", $"<code>{Encode(hash)}</code>");
        }

        Term(html, "Rows", Number(report.Rows));
        Term(html, "Columns", Number(schema.Columns.Count));
        Term(html, "Label", $"<code>{Encode(schema.Label)}</code>");
        var task = schema.Task switch
        {
            TaskKind.Binary => "binary classification",
            TaskKind.Multiclass => $"multiclass classification ({Number(schema.Classes.Count)} classes)",
            _ => "regression",
        };
        Term(html, "Task", $"{task}: {Encode(schema.TaskReason)}");
        html.Append("</dl>\n");
    }

    private static void AppendNotes(StringBuilder html, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        html.Append("<h2 id=\"notes\">Notes</h2>\n<ul>\n");
        foreach (var note in notes)
        {
            html.Append("<li>").Append(Encode(note)).Append("</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void AppendWarnings(StringBuilder html, IReadOnlyList<DataWarning> warnings)
    {
        html.Append("<h2 id=\"warnings\">Warnings (").Append(Number(warnings.Count)).Append(")</h2>\n");
        if (warnings.Count == 0)
        {
            html.Append("<p>No problems found.</p>\n");
            return;
        }

        html.Append("<table>\n<thead><tr><th>Severity</th><th>Finding</th><th>Suggested fix</th><th>Columns</th><th>Code</th></tr></thead>\n<tbody>\n");
        foreach (var w in warnings.OrderByDescending(w => w.Severity))
        {
            var severity = w.Severity.ToString().ToLowerInvariant();
            html.Append("<tr><td><span class=\"sev sev-").Append(severity).Append("\">").Append(severity).Append("</span></td><td>")
                .Append(Encode(w.Message)).Append("</td><td>").Append(Encode(w.Fix)).Append("</td><td>")
                .Append(string.Join(", ", w.Columns.Select(c => $"<code>{Encode(c)}</code>"))).Append("</td><td><code>")
                .Append(Encode(w.Code)).Append("</code></td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendSchema(StringBuilder html, InspectReport report)
    {
        html.Append("<h2 id=\"schema\">Schema</h2>\n<table>\n<thead><tr><th>Column</th><th>Kind</th><th>Distinct</th><th>Missing</th><th>Why this kind</th></tr></thead>\n<tbody>\n");
        foreach (var column in report.Schema.Columns)
        {
            html.Append("<tr><td><code>").Append(Encode(column.Name)).Append("</code>");
            if (column.Name == report.Schema.Label)
            {
                html.Append("<span class=\"label-tag\">label</span>");
            }

            html.Append("</td><td>").Append(Encode(column.Kind.ToString())).Append("</td><td class=\"num\">").Append(Number(column.Cardinality))
                .Append("</td><td class=\"num\">").Append(Number(column.MissingCount)).Append(" (").Append(Percent(column.MissingCount, report.Rows))
                .Append(")</td><td>").Append(Encode(column.Reason)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendBadRows(StringBuilder html, InspectReport report)
    {
        html.Append("<h2 id=\"bad-rows\">Bad rows (").Append(Number(report.BadRowCount)).Append(")</h2>\n");
        if (report.BadRowCount == 0 && report.BadRows.Count == 0)
        {
            html.Append("<p>Every row was read.</p>\n");
            return;
        }

        var shown = report.BadRows.Take(MaxBadRowsShown).ToList();
        html.Append("<p>").Append(Number(report.BadRowCount)).Append(" rows could not be read and were left out of the table");
        html.Append(report.BadRowCount > shown.Count ? $"; the first {Number(shown.Count)} are listed.</p>\n" : ".</p>\n");
        html.Append("<table>\n<thead><tr><th>Line</th><th>Column</th><th>Value</th><th>Reason</th></tr></thead>\n<tbody>\n");
        foreach (var row in shown)
        {
            html.Append("<tr><td class=\"num\">").Append(Number(row.Line)).Append("</td><td>")
                .Append(row.Column is null ? string.Empty : $"<code>{Encode(row.Column)}</code>").Append("</td><td>")
                .Append(row.Value is null ? string.Empty : $"<code>{Encode(row.Value)}</code>").Append("</td><td>")
                .Append(Encode(row.Reason)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendCharts(StringBuilder html, InspectReport report, IReadOnlyList<string> chartPaths, int chartsOmitted)
    {
        html.Append("<h2 id=\"charts\">Columns</h2>\n");
        if (chartsOmitted > 0)
        {
            html.Append("<p>Charts are drawn for the first ").Append(Number(chartPaths.Count)).Append(" columns; ")
                .Append(Number(chartsOmitted)).Append(" more are listed in the schema above.</p>\n");
        }

        html.Append("<div class=\"charts\">\n");
        for (var i = 0; i < chartPaths.Count; i++)
        {
            var profile = report.Profiles[i];
            var name = Encode(profile.Name);
            html.Append("<figure><img src=\"").Append(Encode(chartPaths[i])).Append("\" alt=\"Chart of column ").Append(name)
                .Append("\" width=\"").Append(ColumnChartRenderer.Width).Append("\" height=\"").Append(ColumnChartRenderer.Height)
                .Append("\" loading=\"lazy\"><figcaption><code>").Append(name).Append("</code> · ").Append(Caption(profile, report.Rows))
                .Append("</figcaption></figure>\n");
        }

        html.Append("</div>\n");
    }

    private static string Caption(ColumnProfile profile, int rows)
    {
        var missing = $"missing {Number(profile.Missing)} ({Percent(profile.Missing, rows)})";
        if (profile.Numeric is { } n)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{Encode(profile.Kind.ToString())} · min {n.Min:G6} · mean {n.Mean:G6} · max {n.Max:G6} · sd {n.StdDev:G4} · {missing}");
        }

        var top = profile.TopValues.Count > 0 ? $" · most common <code>{Encode(profile.TopValues[0].Value)}</code>" : string.Empty;
        return $"{Encode(profile.Kind.ToString())} · {Number(profile.Distinct)} distinct{top} · {missing}";
    }

    private static void Term(StringBuilder html, string term, string definitionHtml) =>
        html.Append("<dt>").Append(term).Append("</dt><dd>").Append(definitionHtml).Append("</dd>\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(long part, long total) =>
        total <= 0 ? "0%" : (100.0 * part / total).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
