using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// What one pass over a column tells us: distinct values and counts, integer-ness and range.
/// Computed once and shared by kind inference, task inference and profiling so each column is scanned once.
/// </summary>
internal sealed class ColumnFacts
{
    private ColumnFacts(Column column, int nonMissing, int distinct)
    {
        Column = column;
        NonMissing = nonMissing;
        Distinct = distinct;
    }

    /// <summary>The column the facts describe.</summary>
    public Column Column { get; }

    /// <summary>Rows holding a value.</summary>
    public int NonMissing { get; }

    /// <summary>Distinct non-missing values.</summary>
    public int Distinct { get; }

    /// <summary>Whether the column is stored as numbers.</summary>
    public bool IsNumeric => Column is NumericColumn;

    /// <summary>Numeric columns with more distinct values than this keep no per-value counts (enough for any class list); the small table stays in cache.</summary>
    public const int MaxCountedDistinct = 1024;

    /// <summary>For numeric columns with at most <see cref="MaxCountedDistinct"/> distinct values: counts per value.</summary>
    public DoubleCounter? NumericCounts { get; private init; }

    /// <summary>For numeric columns: whether every non-missing value is a finite whole number.</summary>
    public bool AllInteger { get; private init; }

    /// <summary>For numeric columns: the smallest finite value (NaN when there is none).</summary>
    public double Min { get; private init; } = double.NaN;

    /// <summary>For numeric columns: the largest finite value (NaN when there is none).</summary>
    public double Max { get; private init; } = double.NaN;

    /// <summary>For numeric columns: how many values are +/- infinity.</summary>
    public int InfiniteCount { get; private init; }

    /// <summary>For string columns: rows per dictionary code (codes no row uses have 0).</summary>
    public int[]? CodeCounts { get; private init; }

    /// <summary>Scans a column once.</summary>
    public static ColumnFacts Of(Column column) => column switch
    {
        NumericColumn numeric => OfNumeric(numeric),
        StringColumn text => OfString(text),
        _ => throw new ArgumentException($"unsupported column type {column.GetType().Name}", nameof(column)),
    };

    /// <summary>For string columns: the codes some row uses.</summary>
    public IEnumerable<int> UsedCodes()
    {
        var counts = CodeCounts ?? [];
        for (var code = 0; code < counts.Length; code++)
        {
            if (counts[code] > 0)
            {
                yield return code;
            }
        }
    }

    /// <summary>Every distinct value as canonical text with its count, in no particular order.</summary>
    public IEnumerable<ValueCount> ValueCounts()
    {
        if (NumericCounts is { } numeric)
        {
            foreach (var (value, count) in numeric.Entries())
            {
                yield return new ValueCount(NumericColumn.Format(value)!, count);
            }
        }
        else if (Column is StringColumn text)
        {
            foreach (var code in UsedCodes())
            {
                yield return new ValueCount(text.Dictionary[code], CodeCounts![code]);
            }
        }
    }

    private static ColumnFacts OfNumeric(NumericColumn column)
    {
        var values = column.Values;
        var allInteger = true;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var infinite = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            if (double.IsInfinity(v))
            {
                infinite++;
                allInteger = false;
                continue;
            }

            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }

            if (allInteger && Math.Floor(v) != v)
            {
                allInteger = false;
            }
        }

        var finite = min <= max;
        var counts = DoubleCounter.CountValues(values, MaxCountedDistinct);
        var distinct = counts?.Count
            ?? (allInteger && finite && max - min < DistinctCount.MaxBitmapRange
                ? DistinctCount.OfIntegers(values, min, max)
                : DistinctCount.Of(values));
        return new ColumnFacts(column, column.Length - column.MissingCount, distinct)
        {
            NumericCounts = counts,
            AllInteger = allInteger,
            Min = finite ? min : double.NaN,
            Max = finite ? max : double.NaN,
            InfiniteCount = infinite,
        };
    }

    private static ColumnFacts OfString(StringColumn column)
    {
        var counts = new int[column.Dictionary.Count];
        foreach (var code in column.Codes)
        {
            if (code != StringColumn.MissingCode)
            {
                counts[code]++;
            }
        }

        var distinct = 0;
        foreach (var c in counts)
        {
            if (c > 0)
            {
                distinct++;
            }
        }

        return new ColumnFacts(column, column.Length - column.MissingCount, distinct) { CodeCounts = counts };
    }
}
