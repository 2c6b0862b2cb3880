using Ferry.Tracking.Model;

namespace Ferry.Cli.Rendering;

/// <summary>One metric's history across runs, as a line chart PNG.</summary>
internal static class MetricHistoryChart
{
    public static void Write(string path, string metric, IReadOnlyList<(string Run, IReadOnlyList<Metric> History)> series)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (run, history) in series)
        {
            var points = history.Where(m => double.IsFinite(m.Value)).OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(m => (double)m.Step).ToArray(), points.Select(m => m.Value).ToArray());
            line.LegendText = run;
            line.MarkerSize = points.Count > 50 ? 0 : 5;
        }

        plot.Title(metric);
        plot.XLabel("step");
        plot.YLabel(metric);
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
