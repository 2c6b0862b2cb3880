using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>Cuts a feature into groups of rows (categories or quantile bins), missing values forming a group of their own.</summary>
internal static class FeatureGroups
{
    // Quantile edges from a spread sample are as good as exact ones for a leak test, and cost no full sort.
    private const int EdgeSample = 20_000;

    /// <summary>
    /// The group of each row in <paramref name="rows"/>, and the number of groups: one per distinct value when
    /// there are at most <paramref name="maxCategories"/>; otherwise, for numbers and when
    /// <paramref name="maxBins"/> ≥ 2, up to that many quantile bins; otherwise null.
    /// <paramref name="distinct"/> (the column's cardinality, from its schema) skips hopeless category counting.
    /// </summary>
    public static (int[] Group, int Count)? Of(Column column, int distinct, int[] rows, int maxCategories, int maxBins)
    {
        var categorical = distinct <= maxCategories;
        return column switch
        {
            StringColumn text when categorical => Categories(text, rows, maxCategories),
            NumericColumn numeric => (categorical ? NumericCategories(numeric, rows, maxCategories) : null)
                ?? (maxBins >= 2 ? QuantileBins(numeric, rows, maxBins) : null),
            _ => null,
        };
    }

    private static (int[], int)? Categories(StringColumn column, int[] rows, int maxCategories)
    {
        var map = new int[column.Dictionary.Count];
        Array.Fill(map, -1);
        var count = 1; // group 0 holds missing values
        var group = new int[rows.Length];
        var codes = column.Codes;
        for (var i = 0; i < rows.Length; i++)
        {
            var code = codes[rows[i]];
            if (code == StringColumn.MissingCode)
            {
                continue;
            }

            if (map[code] < 0)
            {
                if (count > maxCategories)
                {
                    return null;
                }

                map[code] = count++;
            }

            group[i] = map[code];
        }

        return (group, count);
    }

    private static (int[], int)? NumericCategories(NumericColumn column, int[] rows, int maxCategories)
    {
        var map = new Dictionary<double, int>();
        var group = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var v = column[rows[i]];
            if (double.IsNaN(v))
            {
                continue;
            }

            v = v == 0 ? 0 : v;
            if (!map.TryGetValue(v, out var g))
            {
                if (map.Count >= maxCategories)
                {
                    return null;
                }

                map[v] = g = map.Count + 1;
            }

            group[i] = g;
        }

        return (group, map.Count + 1);
    }

    private static (int[], int)? QuantileBins(NumericColumn column, int[] rows, int bins)
    {
        var step = Math.Max(1, rows.Length / EdgeSample);
        var sample = new List<double>();
        for (var i = 0; i < rows.Length; i += step)
        {
            var v = column[rows[i]];
            if (double.IsFinite(v))
            {
                sample.Add(v);
            }
        }

        if (sample.Count == 0)
        {
            return null;
        }

        var sorted = sample.ToArray();
        Array.Sort(sorted);
        var edges = new List<double>();
        for (var k = 1; k < bins; k++)
        {
            var edge = NumericSummarizer.Quantile(sorted, (double)k / bins);
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        // Group 0 is missing; values go to 1 + the number of edges at or below them.
        var edgeArray = edges.ToArray();
        var group = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var v = column[rows[i]];
            if (double.IsNaN(v))
            {
                continue;
            }

            var at = Array.BinarySearch(edgeArray, v);
            group[i] = 1 + (at >= 0 ? at + 1 : ~at);
        }

        return (group, edgeArray.Length + 2);
    }
}
