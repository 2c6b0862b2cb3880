namespace Ferry.Data.Schema;

/// <summary>
/// The distribution of one column, small enough to store with a dataset version and compare later
/// (by <c>ferry data diff</c>, and by drift checks against a model's training data).
/// </summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">The inferred kind.</param>
/// <param name="Count">Rows in all.</param>
/// <param name="Missing">Rows with no value.</param>
/// <param name="Distinct">Distinct non-missing values.</param>
/// <param name="Numeric">Numeric summary, for columns stored as numbers.</param>
/// <param name="TopValues">The most frequent values and their counts (at most 20), for non-numeric columns and low-cardinality numeric ones.</param>
public sealed record ColumnProfile(
    string Name,
    ColumnKind Kind,
    int Count,
    int Missing,
    int Distinct,
    NumericSummary? Numeric,
    IReadOnlyList<ValueCount> TopValues);

/// <summary>A numeric column's summary statistics and histogram.</summary>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Mean.</param>
/// <param name="StdDev">Sample standard deviation.</param>
/// <param name="Quantiles">Values at 0, 5, 25, 50, 75, 95 and 100 percent.</param>
/// <param name="BinEdges">Histogram bin edges (bins + 1 values, equal width from min to max).</param>
/// <param name="BinCounts">Rows per histogram bin.</param>
public sealed record NumericSummary(
    double Min,
    double Max,
    double Mean,
    double StdDev,
    IReadOnlyList<double> Quantiles,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<int> BinCounts);

/// <summary>A value and how many rows hold it.</summary>
public sealed record ValueCount(string Value, int Count);
