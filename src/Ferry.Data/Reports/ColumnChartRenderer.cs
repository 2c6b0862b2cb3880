using System.Globalization;
using Ferry.Data.Schema;
using ScottPlot;

namespace Ferry.Data.Reports;

/// <summary>
/// Draws one column's chart as PNG bytes: a histogram for numbers, a horizontal bar chart of the most frequent
/// values otherwise, and a class-balance chart for a classification label.
/// </summary>
internal static class ColumnChartRenderer
{
    public const int Width = 640;
    public const int Height = 400;

    private const int MaxTickLabelLength = 28;
    private const int MaxTitleLength = 60;

    private static readonly Color HistogramColor = Color.FromHex("#4C78A8");
    private static readonly Color ValuesColor = Color.FromHex("#72B7B2");
    private static readonly Color ClassColor = Color.FromHex("#F58518");

    // ScottPlot's own sans-serif choice falls back to a serif face on Linux machines without its preferred fonts,
    // so pick the first common sans-serif family that is installed.
    private static readonly string[] SansPreferences = ["Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans", "Noto Sans"];
    private static readonly Lazy<string> SansFamily = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return SansPreferences.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    });

    public static byte[] Render(ColumnProfile profile, bool isLabel, TaskKind task)
    {
        using var plot = new Plot();
        var classBalance = isLabel && task != TaskKind.Regression && profile.TopValues.Count > 0;
        string subtitle;
        if (classBalance)
        {
            AddValueBars(plot, profile, ClassColor, showShare: true);
            subtitle = $"label column: class balance, {profile.Distinct} classes";
        }
        else if (profile.Numeric is { } numeric && IsDrawable(numeric))
        {
            AddHistogram(plot, profile.Name, numeric);
            subtitle = isLabel ? "label column: numeric target" : KindName(profile.Kind);
        }
        else if (profile.TopValues.Count > 0)
        {
            AddValueBars(plot, profile, ValuesColor, showShare: false);
            subtitle = profile.Distinct > profile.TopValues.Count
                ? $"{KindName(profile.Kind)}, top {profile.TopValues.Count} of {profile.Distinct} values"
                : KindName(profile.Kind);
        }
        else
        {
            plot.Add.Annotation("No values to chart: every row is missing.", Alignment.MiddleCenter);
            plot.HideAxesAndGrid();
            subtitle = KindName(profile.Kind);
        }

        var title = $"{Shorten(profile.Name, MaxTitleLength)} \u2014 {subtitle}";
        plot.Title(title);
        ChooseFont(plot, profile, title);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// The plain sans-serif font when it can draw everything; otherwise fonts picked per script, since column
    /// names and values may be in any language.
    /// </summary>
    private static void ChooseFont(Plot plot, ColumnProfile profile, string title)
    {
        static bool IsLatin(string text) => text.All(c => c <= '\u024F' || c == '\u2014' || c == '\u2026');
        if (IsLatin(title) && profile.TopValues.All(v => IsLatin(v.Value)))
        {
            plot.Font.Set(SansFamily.Value);
        }
        else
        {
            plot.Font.Automatic();
        }
    }

    // An infinite edge (a column holding ±Infinity) would stretch the axis into a meaningless picture.
    private static bool IsDrawable(NumericSummary numeric) =>
        numeric.BinCounts.Count > 0
        && numeric.BinEdges.Count == numeric.BinCounts.Count + 1
        && numeric.BinEdges.All(double.IsFinite);

    private static void AddHistogram(Plot plot, string name, NumericSummary numeric)
    {
        var edges = numeric.BinEdges;
        var bars = new List<Bar>(numeric.BinCounts.Count);
        for (var i = 0; i < numeric.BinCounts.Count; i++)
        {
            var width = edges[i + 1] - edges[i];

            // A constant column has one zero-width bin; give it a visible width.
            var size = width > 0 ? width : Math.Max(Math.Abs(edges[i]) * 0.1, 1);
            bars.Add(new Bar
            {
                Position = (edges[i] + edges[i + 1]) / 2,
                Value = numeric.BinCounts[i],
                Size = size,
                FillColor = HistogramColor,
                LineWidth = 0,
            });
        }

        plot.Add.Bars(bars);
        plot.Axes.Margins(bottom: 0);
        plot.XLabel(Shorten(name, MaxTitleLength));
        plot.YLabel("rows");
    }

    private static void AddValueBars(Plot plot, ColumnProfile profile, Color color, bool showShare)
    {
        // Most frequent at the top: bar i sits at y = count - 1 - i.
        var values = profile.TopValues;
        var present = profile.Count - profile.Missing;
        var bars = new List<Bar>(values.Count);
        var positions = new double[values.Count];
        var labels = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            positions[i] = values.Count - 1 - i;
            labels[i] = Shorten(values[i].Value.Length == 0 ? "(empty)" : values[i].Value, MaxTickLabelLength);
            var count = values[i].Count;
            bars.Add(new Bar
            {
                Position = positions[i],
                Value = count,
                FillColor = color,
                LineWidth = 0,
                Label = showShare && present > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{count} ({100.0 * count / present:0.#}%)")
                    : count.ToString(CultureInfo.InvariantCulture),
            });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = values.Count > 12 ? 10 : 12;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Margins(left: 0, right: 0.15);
        plot.XLabel("rows");
    }

    private static string KindName(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => "numeric",
        ColumnKind.Categorical => "categorical",
        ColumnKind.Boolean => "boolean",
        ColumnKind.DateTime => "date/time",
        ColumnKind.Text => "text",
        ColumnKind.IdLike => "id-like",
        _ => kind.ToString(),
    };

    internal static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        // Never cut between the two halves of a surrogate pair.
        var keep = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
