namespace Ferry.Learn.Training;

/// <summary>
/// Rows of numeric features as learners consume them: row-major <see cref="float"/>s after featurisation
/// (imputed, encoded, scaled where the learner wants it), with a name per column for importances and reports.
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Wraps row-major values; <paramref name="values"/> must hold rows × names.Count numbers.</summary>
    public FeatureMatrix(float[] values, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0 ? values.Length != 0 : values.Length % names.Count != 0)
        {
            throw new ArgumentException($"{values.Length} values do not fill rows of {names.Count} features", nameof(values));
        }

        Values = values;
        Names = names;
        Rows = names.Count == 0 ? 0 : values.Length / names.Count;
    }

    /// <summary>All values, row after row.</summary>
    public float[] Values { get; }

    /// <summary>The feature names, one per column.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How many rows.</summary>
    public int Rows { get; }

    /// <summary>How many features per row.</summary>
    public int Columns => Names.Count;

    /// <summary>One row's features.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>A new matrix with the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var values = new float[rows.Length * Columns];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        }

        return new FeatureMatrix(values, Names);
    }
}
