using System.Globalization;
using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// A numeric column: missing (and infinite) values become the training median, with a 0/1 indicator column when
/// training had missing values; optionally standardised with the training mean and standard deviation.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="Median">The training median of the finite values, used for missing ones.</param>
/// <param name="Indicator">Whether a missing-indicator column follows the value.</param>
/// <param name="Mean">The training mean (for scaling).</param>
/// <param name="Std">The training standard deviation (for scaling; 1 when the column was constant).</param>
internal sealed record NumericEncoder(string Column, double Median, bool Indicator, double Mean, double Std) : ColumnEncoder(Column)
{
    /// <inheritdoc />
    [JsonIgnore]
    public override int Width => Indicator ? 2 : 1;

    /// <summary>Fits on the training values (NaN = missing); null when no value is finite.</summary>
    public static NumericEncoder? Fit(string name, double[] values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }

        var (mean, std) = Moments(finite);
        return new NumericEncoder(name, MedianOf(finite), finite.Length < values.Length, mean, std);
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double MedianOf(double[] finite)
    {
        var sorted = finite.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <inheritdoc />
    public override IEnumerable<string> FeatureNames() => Indicator ? [Column, Column + "_missing"] : [Column];

    /// <inheritdoc />
    public override string Describe(bool scaled)
    {
        var text = $"{Column}: numeric, missing -> median {Median.ToString("G6", CultureInfo.InvariantCulture)}";
        text += Indicator ? " with a missing indicator" : "";
        return scaled ? text + ", standardised" : text;
    }

    /// <inheritdoc />
    public override void Encode(Column column, bool scale, float[] values, int stride, int offset)
    {
        var numbers = ColumnValues.Numbers(column);
        var shift = scale ? Mean : 0;
        var factor = scale ? 1 / Std : 1;
        for (var r = 0; r < numbers.Length; r++)
        {
            var x = numbers[r];
            var missing = double.IsNaN(x);
            var at = r * stride + offset;
            values[at] = (float)(((missing ? Median : x) - shift) * factor);
            if (Indicator)
            {
                values[at + 1] = missing ? 1 : 0;
            }
        }
    }

    /// <summary>Mean and population standard deviation (1 when the values do not vary, so scaling never divides by 0).</summary>
    public static (double Mean, double Std) Moments(IReadOnlyCollection<double> finite)
    {
        var mean = finite.Average();
        var variance = finite.Sum(v => (v - mean) * (v - mean)) / finite.Count;
        var std = Math.Sqrt(variance);
        return (mean, std > 1e-12 && double.IsFinite(std) ? std : 1);
    }
}
