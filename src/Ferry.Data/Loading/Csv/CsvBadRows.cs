namespace Ferry.Data.Loading.Csv;

/// <summary>
/// Counts every bad row and keeps the first ones (by line) in detail; in strict mode the first one is an error.
/// </summary>
internal sealed class CsvBadRows(string source, TableLoadOptions options)
{
    private readonly int _maxDetails = Math.Max(0, options.MaxBadRowDetails);
    private List<BadRow> _details = [];

    /// <summary>Bad rows in all.</summary>
    public long Count { get; private set; }

    /// <summary>The first bad rows by line, up to the detail limit.</summary>
    public IReadOnlyList<BadRow> Details => _details;

    /// <summary>Records a bad row found while reading (rows arrive in line order).</summary>
    /// <exception cref="FerryException">Strict loading (code <c>CSV_BAD_ROW</c>).</exception>
    public void Add(BadRow row)
    {
        ThrowIfStrict(row);
        Count++;
        if (_details.Count < _maxDetails)
        {
            _details.Add(row);
        }
    }

    /// <summary>Records bad rows found after reading (sorted by line), merging them into line order.</summary>
    /// <exception cref="FerryException">Strict loading (code <c>CSV_BAD_ROW</c>).</exception>
    public void AddLate(IReadOnlyList<BadRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        ThrowIfStrict(rows[0]);
        Count += rows.Count;

        // Rows dropped from the early list were all after its last detail, so merging what is kept loses none of the first ones.
        _details = [.. _details.Concat(rows.Take(_maxDetails)).OrderBy(r => r.Line).Take(_maxDetails)];
    }

    private void ThrowIfStrict(BadRow row)
    {
        if (options.Strict)
        {
            throw FerryException.Invalid(
                "CSV_BAD_ROW",
                $"bad row on line {row.Line}: {row.Reason}; fix the row, or load without strict mode to skip bad rows",
                new SourceLocation(source, row.Line, row.Column));
        }
    }
}
