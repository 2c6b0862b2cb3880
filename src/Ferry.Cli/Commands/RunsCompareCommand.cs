using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Cli.Rendering;
using Ferry.Tracking.Model;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry runs compare RUN RUN…</c>: params side by side, metric deltas, metric-history charts.</summary>
internal static class RunsCompareCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var runIds = new Argument<string[]>("runs") { Description = "Two or more run ids; deltas are against the first", Arity = new ArgumentArity(2, 20) };
        var charts = new Option<string?>("--charts") { Description = "Folder for the metric-history charts (default: a new folder under the home's reports/)" };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON" };
        var compare = new Command("compare", "Compare runs: params side by side, metric deltas, and metric-history charts as PNG") { runIds, charts, json };
        app.AddExamples(compare, "ferry runs compare 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d");
        compare.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var runs = new List<Run>();
            foreach (var id in parse.GetValue(runIds)!)
            {
                runs.Add(await store.GetRunAsync(id, ct));
            }

            var metricKeys = runs.SelectMany(r => r.Data.Metrics.Select(m => m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var paramKeys = runs.SelectMany(r => r.Data.Params.Select(p => p.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var folder = parse.GetValue(charts) ?? DataInspectCommand.DefaultReportFolder(context, parse, "compare", "runs");
            var chartFiles = new List<string>();
            await AtomicDirectory.WriteAsync(folder, async (staging, token) =>
            {
                for (var i = 0; i < metricKeys.Count; i++)
                {
                    var series = new List<(string, IReadOnlyList<Metric>)>();
                    foreach (var run in runs)
                    {
                        series.Add((Label(run), await store.GetMetricHistoryAsync(run.Info.RunId, metricKeys[i], token)));
                    }

                    var file = $"{i + 1:000}-{Slug(metricKeys[i])}.png";
                    MetricHistoryChart.Write(Path.Combine(staging, file), metricKeys[i], series);
                    chartFiles.Add(Path.Combine(folder, file));
                }
            }, ct);

            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    runs = runs.Select(r => r.Info.RunId),
                    @params = paramKeys.ToDictionary(k => k, k => runs.Select(r => r.Data.Params.FirstOrDefault(p => p.Key == k)?.Value)),
                    metrics = metricKeys.ToDictionary(k => k, k => runs.Select(r => Latest(r, k))),
                    charts = chartFiles,
                }, FerryJson.Indented));
                return CliApp.Success;
            }

            var console = context.Console.Out;
            var parameters = new Table().Border(TableBorder.Rounded).Title("[bold]Params[/]");
            parameters.AddColumn("Param");
            runs.ForEach(r => parameters.AddColumn(Markup.Escape(Label(r))));
            foreach (var key in paramKeys)
            {
                var values = runs.Select(r => r.Data.Params.FirstOrDefault(p => p.Key == key)?.Value).ToList();
                var differs = values.Distinct().Count() > 1;
                parameters.AddRow([Markup.Escape(key), .. values.Select(v => differs ? $"[yellow]{Markup.Escape(v ?? "-")}[/]" : Markup.Escape(v ?? "-"))]);
            }

            console.Write(parameters);
            var metrics = new Table().Border(TableBorder.Rounded).Title("[bold]Metrics[/] (latest; delta against the first run)");
            metrics.AddColumn("Metric");
            runs.ForEach(r => metrics.AddColumn(new TableColumn(Markup.Escape(Label(r))).RightAligned()));
            foreach (var key in metricKeys)
            {
                var first = Latest(runs[0], key);
                var cells = runs.Select((r, i) =>
                {
                    var value = Latest(r, key);
                    if (value is null)
                    {
                        return "-";
                    }

                    var text = TrackingAccess.Number(value.Value);
                    return i == 0 || first is null ? text : $"{text} ({(value.Value - first.Value).ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture)})";
                });
                metrics.AddRow([Markup.Escape(key), .. cells]);
            }

            console.Write(metrics);
            console.MarkupLine($"[bold]Charts:[/] {Markup.Escape(folder)} ({chartFiles.Count} PNG)");
            return CliApp.Success;
        });
        return compare;
    }

    private static string Label(Run run) => $"{run.Info.RunName} ({run.Info.RunId[..8]})";

    private static double? Latest(Run run, string key) => run.Data.Metrics.FirstOrDefault(m => m.Key == key)?.Value;

    private static string Slug(string key) =>
        new([.. key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').Take(40)]);
}
