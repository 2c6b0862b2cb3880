using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// Builds a <see cref="NumericSummary"/> from the finite values of a column. Infinities are left out of every
/// statistic (they would make the mean and histogram meaningless, and JSON cannot hold them); callers report them.
/// </summary>
internal static class NumericSummarizer
{
    /// <summary>The quantile levels reported, matching <see cref="NumericSummary.Quantiles"/>.</summary>
    public static IReadOnlyList<double> Levels { get; } = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];

    /// <summary>Histogram bins of a non-constant column.</summary>
    public const int Bins = 20;

    /// <summary>
    /// Describes a numeric column in one sort: the summary of its finite values (null when there are none),
    /// its distinct non-missing values (infinities included) and, when there are at most
    /// <paramref name="maxTopValues"/> of them, every value with its count, most frequent first.
    /// </summary>
    public static (NumericSummary? Summary, int Distinct, List<ValueCount>? Values) Describe(ReadOnlySpan<double> values, int maxTopValues)
    {
        var finite = new double[values.Length];
        var n = 0;
        var negativeInfinity = 0;
        var positiveInfinity = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                finite[n++] = v;
            }
            else if (double.IsNegativeInfinity(v))
            {
                negativeInfinity++;
            }
            else if (double.IsPositiveInfinity(v))
            {
                positiveInfinity++;
            }
        }

        var sorted = finite.AsSpan(0, n);
        sorted.Sort();
        var runs = new List<ValueCount>();
        var distinct = (negativeInfinity > 0 ? 1 : 0) + (positiveInfinity > 0 ? 1 : 0);
        for (var i = 0; i < n;)
        {
            var j = i + 1;
            while (j < n && sorted[j] == sorted[i])
            {
                j++;
            }

            distinct++;
            if (distinct <= maxTopValues)
            {
                runs.Add(new ValueCount(NumericColumn.Format(sorted[i] == 0 ? 0 : sorted[i])!, j - i));
            }

            i = j;
        }

        List<ValueCount>? counted = null;
        if (distinct <= maxTopValues)
        {
            counted = runs;
            if (negativeInfinity > 0)
            {
                counted.Add(new ValueCount(NumericColumn.Format(double.NegativeInfinity)!, negativeInfinity));
            }

            if (positiveInfinity > 0)
            {
                counted.Add(new ValueCount(NumericColumn.Format(double.PositiveInfinity)!, positiveInfinity));
            }
        }

        return (n == 0 ? null : Summarize(sorted), distinct, counted);
    }

    private static NumericSummary Summarize(ReadOnlySpan<double> sorted)
    {
        var (mean, std) = Moments(sorted);
        var quantiles = new double[Levels.Count];
        for (var i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = Quantile(sorted, Levels[i]);
        }

        var (edges, counts) = Histogram(sorted);
        return new NumericSummary(sorted[0], sorted[^1], mean, std, quantiles, edges, counts);
    }

    /// <summary>
    /// The <paramref name="p"/>-quantile of sorted values by linear interpolation between closest ranks
    /// (h = (n - 1) p; the "type 7" rule used by R, NumPy and Excel's PERCENTILE.INC).
    /// </summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var fraction = h - lo;
        return fraction == 0 ? sorted[lo] : sorted[lo] + (fraction * (sorted[lo + 1] - sorted[lo]));
    }

    // Welford's update: a running mean cannot overflow the way a sum of huge values does.
    private static (double Mean, double Std) Moments(ReadOnlySpan<double> values)
    {
        double mean = 0;
        double m2 = 0;
        var k = 0;
        foreach (var v in values)
        {
            k++;
            var delta = v - mean;
            mean += delta / k;
            m2 += delta * (v - mean);
        }

        var std = values.Length > 1 ? Math.Sqrt(m2 / (values.Length - 1)) : 0;
        return (Finite(mean), Finite(std));
    }

    // Equal-width bins from min to max, the last one closed; a constant column gets one bin [v, v].
    private static (double[] Edges, int[] Counts) Histogram(ReadOnlySpan<double> sorted)
    {
        var min = sorted[0];
        var max = sorted[^1];
        if (min == max)
        {
            return ([min, max], [sorted.Length]);
        }

        var edges = new double[Bins + 1];
        for (var i = 0; i <= Bins; i++)
        {
            edges[i] = Lerp(min, max, (double)i / Bins);
        }

        edges[Bins] = max;
        var counts = new int[Bins];
        foreach (var v in sorted)
        {
            counts[BinOf(v, min, max)]++;
        }

        return (edges, counts);
    }

    /// <summary>The equal-width bin of <paramref name="v"/> in [min, max] split into <see cref="Bins"/> bins.</summary>
    public static int BinOf(double v, double min, double max)
    {
        // Halved so that max - min cannot overflow for values near double.MaxValue.
        var t = ((v / 2) - (min / 2)) / ((max / 2) - (min / 2));
        return Math.Clamp((int)(t * Bins), 0, Bins - 1);
    }

    private static double Lerp(double a, double b, double t) => (a * (1 - t)) + (b * t);

    private static double Finite(double v) => double.IsFinite(v) ? v : double.MaxValue;
}
