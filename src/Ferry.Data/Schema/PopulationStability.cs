namespace Ferry.Data.Schema;

/// <summary>
/// Approximate population stability index (PSI) between two stored histograms with different edges.
/// B's counts are spread onto A's bins assuming uniform mass inside each of B's bins (a zero-width bin is a point
/// mass); A's first and last bins are stretched to -∞ and +∞ so out-of-range mass lands in the tails.
/// PSI = Σ (b - a) ln(b / a) over A's bins, shares floored at <see cref="Floor"/> so empty bins stay finite.
/// </summary>
internal static class PopulationStability
{
    /// <summary>The smallest share a bin counts for.</summary>
    public const double Floor = 1e-4;

    /// <summary>The PSI of B against A, or null when A's histogram has no width (a constant column).</summary>
    public static double? Compute(NumericSummary a, NumericSummary b)
    {
        var edgesA = a.BinEdges;
        var binsA = a.BinCounts.Count;
        if (binsA == 0 || edgesA[0] == edgesA[^1])
        {
            return null;
        }

        var massB = Rebin(edgesA, b.BinEdges, b.BinCounts);
        var totalA = (double)a.BinCounts.Sum();
        var totalB = massB.Sum();
        if (totalA <= 0 || totalB <= 0)
        {
            return null;
        }

        double psi = 0;
        for (var i = 0; i < binsA; i++)
        {
            var p = Math.Max(a.BinCounts[i] / totalA, Floor);
            var q = Math.Max(massB[i] / totalB, Floor);
            psi += (q - p) * Math.Log(q / p);
        }

        return psi;
    }

    /// <summary>B's bin counts spread over A's bins (A's outer bins open-ended).</summary>
    public static double[] Rebin(IReadOnlyList<double> edgesA, IReadOnlyList<double> edgesB, IReadOnlyList<int> countsB)
    {
        var bins = edgesA.Count - 1;
        var mass = new double[bins];
        for (var j = 0; j < countsB.Count; j++)
        {
            var lo = edgesB[j];
            var hi = edgesB[j + 1];
            var count = countsB[j];
            if (count == 0)
            {
                continue;
            }

            if (hi <= lo)
            {
                mass[BinContaining(edgesA, lo)] += count;
                continue;
            }

            for (var i = 0; i < bins; i++)
            {
                var from = i == 0 ? double.NegativeInfinity : edgesA[i];
                var to = i == bins - 1 ? double.PositiveInfinity : edgesA[i + 1];
                var overlap = Math.Min(to, hi) - Math.Max(from, lo);
                if (overlap > 0)
                {
                    mass[i] += count * (overlap / (hi - lo));
                }
            }
        }

        return mass;
    }

    private static int BinContaining(IReadOnlyList<double> edges, double x)
    {
        var bins = edges.Count - 1;
        for (var i = 1; i < bins; i++)
        {
            if (x < edges[i])
            {
                return i - 1;
            }
        }

        return bins - 1;
    }
}
