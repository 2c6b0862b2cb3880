using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// Summarises columns into <see cref="ColumnProfile"/>s: counts, a numeric summary with quantiles and a histogram,
/// and the most frequent values. Profiles are small and hold no raw rows, so they can be stored and compared later.
/// </summary>
public static class Profiler
{
    /// <summary>How many most-frequent values a profile keeps.</summary>
    public const int TopValueCount = 20;

    private const long ParallelCells = 200_000;

    /// <summary>Profiles one column.</summary>
    /// <param name="column">The column.</param>
    /// <param name="schema">Its inferred schema (gives the kind recorded in the profile).</param>
    /// <returns>
    /// The profile. Numeric columns get a <see cref="NumericSummary"/> over their finite values (±infinity is left out
    /// of every statistic; <see cref="Validation.DatasetValidator"/> reports it) and top values when they have at most
    /// 20 distinct values; other columns get top values.
    /// </returns>
    public static ColumnProfile Profile(Column column, ColumnSchema schema)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(schema);
        if (column.Name != schema.Name)
        {
            throw new ArgumentException($"schema is for column '{schema.Name}', not '{column.Name}'", nameof(schema));
        }

        if (column is NumericColumn numeric)
        {
            var (summary, distinct, values) = NumericSummarizer.Describe(numeric.Values, TopValueCount);
            return new ColumnProfile(column.Name, schema.Kind, column.Length, column.MissingCount, distinct, summary, values is null ? [] : Top(values));
        }

        var facts = ColumnFacts.Of(column);
        return new ColumnProfile(column.Name, schema.Kind, column.Length, column.MissingCount, facts.Distinct, null, Top(facts.ValueCounts()));
    }

    /// <summary>Profiles every column of a table, in table order.</summary>
    /// <param name="table">The table.</param>
    /// <param name="schema">Its schema; every table column must appear in it.</param>
    /// <returns>One profile per column.</returns>
    public static IReadOnlyList<ColumnProfile> ProfileAll(Table table, DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        var byName = schema.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var missing = table.Columns.FirstOrDefault(c => !byName.ContainsKey(c.Name));
        if (missing is not null)
        {
            throw new ArgumentException($"the schema has no column '{missing.Name}'", nameof(schema));
        }

        var profiles = new ColumnProfile[table.ColumnCount];
        void ProfileAt(int i) => profiles[i] = Profile(table.Columns[i], byName[table.Columns[i].Name]);

        if ((long)table.RowCount * table.ColumnCount >= ParallelCells)
        {
            Parallel.For(0, table.ColumnCount, ProfileAt);
        }
        else
        {
            for (var i = 0; i < table.ColumnCount; i++)
            {
                ProfileAt(i);
            }
        }

        return profiles;
    }

    // Most frequent first; equal counts in ordinal order of the value text, so profiles are reproducible.
    private static ValueCount[] Top(IEnumerable<ValueCount> values) =>
        [.. values
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .Take(TopValueCount)];
}
