using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Features;

namespace Ferry.Learn.Packaging;

/// <summary>Builds a <see cref="ReferenceProfile"/> from reference rows (inputs and label) and the model's predictions on them.</summary>
public static class ReferenceProfileBuilder
{
    /// <summary>Histogram bins for numbers.</summary>
    public const int Bins = 10;

    /// <summary>Most categories kept by name; the rest are summed under <c>(other)</c>.</summary>
    public const int MaxCategories = 50;

    /// <summary>The name the less frequent categories are summed under.</summary>
    public const string OtherCategory = "(other)";

    /// <summary>Profiles <paramref name="rows"/>, which hold the signature's inputs and label, with the model's <paramref name="predictions"/> on them.</summary>
    /// <param name="rows">The reference rows (for example the validation split).</param>
    /// <param name="signature">The model's signature: which columns, of what kind.</param>
    /// <param name="predictions">The model's predictions on <paramref name="rows"/>, in row order.</param>
    /// <param name="source">Which rows these are, for people (<c>validation</c>, <c>training</c>).</param>
    public static ReferenceProfile Build(Table rows, ModelSignature signature, Predictions predictions, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count != rows.RowCount)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {rows.RowCount} rows", nameof(predictions));
        }

        var features = signature.Inputs.Select(input => Feature(rows, input)).ToList();
        var label = rows.TryGetColumn(signature.Label, out var labelColumn)
            ? signature.Task == TaskKind.Regression ? Numbers(ColumnValues.Numbers(labelColumn)) : Categories(labelColumn)
            : new Distribution();
        Distribution predicted;
        Distribution? confidence = null;
        if (signature.Task == TaskKind.Regression)
        {
            predicted = Numbers([.. predictions.Values!]);
        }
        else
        {
            predicted = Categories(StringColumn.FromValues("prediction", predictions.Labels!));
            var probabilities = predictions.Probabilities!;
            var score = signature.Task == TaskKind.Binary
                ? probabilities.Select(p => (double)p[1]).ToArray()
                : probabilities.Select(p => (double)p.Max()).ToArray();
            confidence = Numbers(score, low: 0, high: 1);
        }

        return new ReferenceProfile(ReferenceProfile.CurrentVersion, rows.RowCount, source, features, label, predicted, confidence);
    }

    /// <summary>Deciles and an equal-width histogram of the finite values (over [low, high] when given, else their range).</summary>
    internal static Distribution Numbers(double[] values, double? low = null, double? high = null)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return new Distribution();
        }

        Array.Sort(finite);
        var quantiles = Enumerable.Range(0, 11).Select(i => Quantile(finite, i / 10.0)).ToArray();
        var min = low ?? finite[0];
        var max = high ?? finite[^1];
        var bins = max > min ? Bins : 1;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? max : min + (max - min) * i / bins).ToArray();
        var counts = new int[bins];
        foreach (var v in finite)
        {
            var bin = max > min ? (int)Math.Floor((v - min) / (max - min) * bins) : 0;
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }

        return new Distribution(quantiles, edges, counts);
    }

    /// <summary>The linearly interpolated quantile of sorted values (numpy's default).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    private static FeatureReference Feature(Table rows, InputColumn input)
    {
        if (!rows.TryGetColumn(input.Name, out var column))
        {
            throw InputErrors.MissingColumns([input.Name]);
        }

        var count = Math.Max(1, column.Length);
        switch (input.Kind)
        {
            case ColumnKind.Numeric:
                {
                    var numbers = ColumnValues.Numbers(column);
                    return new FeatureReference(input.Name, input.Kind, (double)numbers.Count(double.IsNaN) / count, Numbers(numbers));
                }

            case ColumnKind.Categorical or ColumnKind.Boolean:
                return new FeatureReference(input.Name, input.Kind, (double)column.MissingCount / count, Categories(column));
            default:
                return new FeatureReference(input.Name, input.Kind, (double)column.MissingCount / count, null);
        }
    }

    private static Distribution Categories(Column column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, n) in ColumnValues.Counts(column))
        {
            var canonical = CategoryText.Canonical(text);
            counts[canonical] = counts.GetValueOrDefault(canonical) + n;
        }

        double total = counts.Values.Sum();
        var ordered = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        var shares = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (category, n) in ordered.Take(MaxCategories))
        {
            shares[category] = n / total;
        }

        if (ordered.Count > MaxCategories)
        {
            shares[OtherCategory] = ordered.Skip(MaxCategories).Sum(p => p.Value) / total;
        }

        return new Distribution(Shares: shares);
    }
}
