namespace Ferry.Data.Loading;

/// <summary>A source row that could not be read and was left out of the table (or, with strict loading, stopped it).</summary>
/// <param name="Line">The 1-based physical line where the row starts (for Parquet, the 1-based row number).</param>
/// <param name="Column">The column at fault, if one is.</param>
/// <param name="Value">The offending value, shortened for display, if one is.</param>
/// <param name="Reason">What is wrong, in words a user acts on.</param>
public sealed record BadRow(long Line, string? Column, string? Value, string Reason);
