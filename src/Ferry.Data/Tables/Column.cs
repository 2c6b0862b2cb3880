namespace Ferry.Data.Tables;

/// <summary>
/// One column of a <see cref="Table"/>, stored by how its values are held in memory:
/// <see cref="NumericColumn"/> (doubles, NaN = missing) or <see cref="StringColumn"/> (dictionary codes).
/// What a column <em>means</em> (categorical, datetime, id-like…) is the schema's job, not the storage's.
/// </summary>
public abstract class Column
{
    /// <summary>Creates a column with a name.</summary>
    protected Column(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The column name as it appears in the source.</summary>
    public string Name { get; }

    /// <summary>The number of rows.</summary>
    public abstract int Length { get; }

    /// <summary>How many rows hold no value.</summary>
    public abstract int MissingCount { get; }

    /// <summary>Whether row <paramref name="row"/> holds no value.</summary>
    public abstract bool IsMissing(int row);

    /// <summary>
    /// The value of a row as canonical text (numbers in invariant round-trip form), or null when missing.
    /// Two files that differ only in formatting ("1.0" and "1") give the same text.
    /// </summary>
    public abstract string? GetText(int row);

    /// <summary>A new column holding only the given rows, in the given order.</summary>
    public abstract Column SelectRows(ReadOnlySpan<int> rows);

    /// <summary>A copy of this column under another name.</summary>
    public abstract Column Rename(string name);
}
