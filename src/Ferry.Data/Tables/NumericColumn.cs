using System.Globalization;

namespace Ferry.Data.Tables;

/// <summary>A column of numbers; a missing value is stored as <see cref="double.NaN"/>.</summary>
public sealed class NumericColumn : Column
{
    private readonly double[] _values;
    private readonly int _missing;

    /// <summary>Creates a numeric column over <paramref name="values"/> (the array is owned by the column from now on).</summary>
    public NumericColumn(string name, double[] values)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
        var missing = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                missing++;
            }
        }

        _missing = missing;
    }

    /// <summary>The values, NaN where missing.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The value at <paramref name="row"/> (NaN when missing).</summary>
    public double this[int row] => _values[row];

    /// <inheritdoc />
    public override int Length => _values.Length;

    /// <inheritdoc />
    public override int MissingCount => _missing;

    /// <inheritdoc />
    public override bool IsMissing(int row) => double.IsNaN(_values[row]);

    /// <inheritdoc />
    public override string? GetText(int row) => Format(_values[row]);

    /// <summary>Canonical text of a number: invariant, shortest round-trip; null for NaN.</summary>
    public static string? Format(double value) =>
        double.IsNaN(value) ? null : value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override Column SelectRows(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = _values[rows[i]];
        }

        return new NumericColumn(Name, values);
    }

    /// <inheritdoc />
    public override Column Rename(string name) => new NumericColumn(name, _values);
}
