namespace Ferry.Data.Loading.Csv;

/// <summary>
/// The physical line each good row started on, stored only where it breaks the "one more than the row
/// before" pattern (after a bad row, a blank line or a multi-line value), so a clean file costs nothing.
/// </summary>
internal sealed class CsvRowLines
{
    private readonly ChunkedBuffer<int> _rows = new();
    private readonly ChunkedBuffer<long> _lines = new();
    private long _previous = long.MinValue;

    /// <summary>Rows recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Records the next row's line.</summary>
    public void Add(long line)
    {
        if (line != _previous + 1)
        {
            _rows.Append(Count);
            _lines.Append(line);
        }

        _previous = line;
        Count++;
    }

    /// <summary>The line row <paramref name="row"/> started on.</summary>
    public long this[int row]
    {
        get
        {
            // The last breakpoint at or before the row.
            int low = 0, high = _rows.Count - 1;
            while (low < high)
            {
                var mid = (low + high + 1) >>> 1;
                if (_rows[mid] <= row)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }

            return _lines[low] + (row - _rows[low]);
        }
    }
}
