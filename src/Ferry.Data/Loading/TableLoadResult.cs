using Ferry.Data.Tables;

namespace Ferry.Data.Loading;

/// <summary>A loaded table and what happened on the way: rows left out and notes on how the file was read.</summary>
/// <param name="Table">The rows that were read.</param>
/// <param name="Source">The path the table came from.</param>
/// <param name="Format">How it was read, for example "csv (delimiter ',', header, UTF-8)" or "parquet".</param>
/// <param name="BadRows">Details of the first bad rows (up to <see cref="TableLoadOptions.MaxBadRowDetails"/>).</param>
/// <param name="BadRowCount">How many rows were left out in all.</param>
/// <param name="Notes">Observations about the file a user should know (encoding fallback, detected delimiter...).</param>
public sealed record TableLoadResult(
    Table Table,
    string Source,
    string Format,
    IReadOnlyList<BadRow> BadRows,
    long BadRowCount,
    IReadOnlyList<string> Notes);

/// <summary>How far a load has got, for progress bars.</summary>
/// <param name="BytesRead">Bytes consumed so far.</param>
/// <param name="TotalBytes">The file size, if known.</param>
public readonly record struct LoadProgress(long BytesRead, long? TotalBytes);
