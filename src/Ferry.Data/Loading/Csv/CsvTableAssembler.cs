using Ferry.Data.Tables;

namespace Ferry.Data.Loading.Csv;

/// <summary>
/// Turns tokenized records into a table: names the columns from the header (or <c>column_N</c>), routes
/// each good row's fields to their column builders, and sets aside bad rows with their line and reason.
/// </summary>
internal sealed class CsvTableAssembler : ICsvRecordSink
{
    private const int PreviewLength = 60;
    private const long ReclaimEvery = 32L << 20;

    private readonly string _source;
    private readonly TableLoadOptions _options;
    private readonly CsvDialect _dialect;
    private readonly CsvBadRows _badRows;
    private readonly CsvRowLines _rowLines = new();
    private readonly List<string> _notes = [];
    private string[] _names = [];
    private CsvColumnBuilder[]? _builders;
    private long _headerLine;

    private readonly int _estimatedRows;

    /// <summary>Creates an assembler for a file read with <paramref name="dialect"/>, of about <paramref name="estimatedRows"/> rows.</summary>
    public CsvTableAssembler(string source, TableLoadOptions options, CsvDialect dialect, int estimatedRows)
    {
        _estimatedRows = estimatedRows;
        _source = source;
        _options = options;
        _dialect = dialect;
        _badRows = new CsvBadRows(source, options);
    }

    /// <inheritdoc />
    public bool OnRecord(CsvRecordBuffer record)
    {
        if (_builders is null)
        {
            Start(record);
            if (_dialect.HasHeader)
            {
                return true;
            }
        }

        if (record.FieldCount != _names.Length)
        {
            _badRows.Add(new BadRow(record.StartLine, null, null, $"has {record.FieldCount} fields, expected {_names.Length}"));
            return true;
        }

        if (record.OverlongField >= 0)
        {
            var name = _names[record.OverlongField];
            _badRows.Add(new BadRow(
                record.StartLine,
                name,
                Preview(record.Field(record.OverlongField)),
                $"the value in column '{name}' is longer than {_options.MaxFieldLength} characters"));
            return true;
        }

        if (_rowLines.Count >= Array.MaxLength)
        {
            throw FerryException.Invalid(
                "CSV_TOO_MANY_ROWS", $"has more than {Array.MaxLength} rows; split the file", new SourceLocation(_source, record.StartLine));
        }

        var builders = _builders!;
        for (var i = 0; i < builders.Length; i++)
        {
            builders[i].Append(record.Field(i));
        }

        _rowLines.Add(record.StartLine);
        return true;
    }

    /// <summary>Builds the table once every record has been seen.</summary>
    /// <returns>The table, the bad rows (up to the detail limit), their count and notes on what was decided.</returns>
    /// <exception cref="FerryException">The file has no rows, or no good ones, or (strict) a bad row.</exception>
    public (Table Table, IReadOnlyList<BadRow> BadRows, long BadRowCount, IReadOnlyList<string> Notes) Finish(CancellationToken cancellationToken)
    {
        if (_builders is null)
        {
            throw FerryException.Invalid("CSV_EMPTY", "is empty: it has no rows to load", new SourceLocation(_source));
        }

        var rows = _rowLines.Count;
        var storages = new CsvColumnStorage[_builders.Length];
        bool[]? removed = null;
        var removedCount = 0;
        var numericBad = new List<BadRow>();
        for (var c = 0; c < _builders.Length; c++)
        {
            storages[c] = _builders[c].Decide();
            if (storages[c] != CsvColumnStorage.NumericWithBadRows)
            {
                continue;
            }

            removed ??= new bool[rows];
            string? example = null;
            var count = 0;
            foreach (var row in _builders[c].NonNumericRows())
            {
                var text = _builders[c].TextAt(row);
                example ??= text;
                count++;
                if (!removed[row])
                {
                    removed[row] = true;
                    removedCount++;
                    numericBad.Add(new BadRow(
                        _rowLines[row], _names[c], Preview(text), $"value '{Preview(text)}' is not a number in numeric column '{_names[c]}'"));
                }
            }

            _notes.Add($"column '{_names[c]}' is numeric but {count} value(s) such as '{Preview(example ?? string.Empty)}' are not numbers; those rows were left out");
        }

        numericBad.Sort((a, b) => a.Line.CompareTo(b.Line));
        _badRows.AddLate(numericBad);
        var kept = rows - removedCount;
        if (kept == 0)
        {
            throw NoRows();
        }

        var columns = new Column[_builders.Length];
        long released = 0;
        for (var c = 0; c < _builders.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var builder = _builders[c];
            AddColumnNotes(c, builder, storages[c]);
            released += builder.HeldBytes;
            columns[c] = builder.Build(_names[c], storages[c], removed, kept);
            if (released >= ReclaimEvery)
            {
                // Each column is copied from its growth buffer into an exact-size array, and the GC is in no hurry
                // to reclaim dead large-object buffers: left alone, a table's worth of them stays resident beside
                // the finished columns and nearly doubles the load's peak memory. A few collections bound that.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
                released = 0;
            }
        }

        var decimalCommaColumns = _names.Where((_, c) => _builders[c].SawDecimalComma && storages[c] != CsvColumnStorage.Text).ToList();
        if (decimalCommaColumns.Count > 0)
        {
            _notes.Add($"numbers with a decimal comma (like '1,5') were read as decimals in: {string.Join(", ", decimalCommaColumns)}");
        }

        _builders = [];
        return (new Table(columns), _badRows.Details, _badRows.Count, _notes);
    }

    private void AddColumnNotes(int column, CsvColumnBuilder builder, CsvColumnStorage storage)
    {
        var before = builder.RespelledBeforeRow;
        if (storage == CsvColumnStorage.Text && before > 0)
        {
            _notes.Add(
                $"column '{_names[column]}' holds text, but only from line {_rowLines[before]} on; numbers before that are shown in " +
                $"standard form (for example '7' for '007') because it had too many distinct number spellings to keep");
        }
    }

    private FerryException NoRows()
    {
        if (_badRows.Count == 0)
        {
            return FerryException.Invalid(
                "CSV_NO_ROWS",
                _dialect.HasHeader ? "has a header but no data rows" : "has no data rows",
                new SourceLocation(_source, _headerLine));
        }

        var first = _badRows.Details[0];
        return FerryException.Invalid(
            "CSV_NO_ROWS",
            $"none of its {_badRows.Count} data row(s) could be read; the first, on line {first.Line}, {first.Reason}" +
            (_dialect.DelimiterDetected ? $" (if the delimiter is not {CsvFormat.Show(_dialect.Delimiter)}, pass it explicitly)" : string.Empty),
            new SourceLocation(_source, first.Line, first.Column));
    }

    private void Start(CsvRecordBuffer record)
    {
        _headerLine = record.StartLine;
        var count = _dialect.HasHeader || _dialect.FieldCount == 0 ? record.FieldCount : _dialect.FieldCount;
        if (count > _options.MaxColumns)
        {
            throw FerryException.Invalid(
                "CSV_TOO_MANY_COLUMNS",
                $"has {count} columns, more than the limit of {_options.MaxColumns}; check the delimiter, or raise MaxColumns",
                new SourceLocation(_source, record.StartLine));
        }

        _names = _dialect.HasHeader ? HeaderNames(record) : [.. Enumerable.Range(1, count).Select(i => $"column_{i}")];
        _builders = new CsvColumnBuilder[count];
        for (var i = 0; i < count; i++)
        {
            _builders[i] = new CsvColumnBuilder(decimalComma: _dialect.Delimiter == ';', _estimatedRows);
        }
    }

    private string[] HeaderNames(CsvRecordBuffer record)
    {
        if (record.OverlongField >= 0)
        {
            throw FerryException.Invalid(
                "CSV_FIELD_TOO_LONG",
                $"header field {record.OverlongField + 1} is longer than {_options.MaxFieldLength} characters; is this really a CSV file?",
                new SourceLocation(_source, record.StartLine, (record.OverlongField + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var names = new string[record.FieldCount];
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = record.FieldText(i);
            if (name.Length == 0)
            {
                continue;
            }

            if (positions.TryGetValue(name, out var earlier))
            {
                throw FerryException.Invalid(
                    "CSV_DUPLICATE_HEADER",
                    $"columns {earlier + 1} and {i + 1} are both named '{name}'; rename one of them",
                    new SourceLocation(_source, record.StartLine, name));
            }

            positions.Add(name, i);
            names[i] = name;
        }

        var blanks = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is not null)
            {
                continue;
            }

            // A blank name becomes column_N; a suffix keeps it clear of a real column with that name.
            var name = $"column_{i + 1}";
            for (var k = 2; positions.ContainsKey(name); k++)
            {
                name = $"column_{i + 1}_{k}";
            }

            positions.Add(name, i);
            names[i] = name;
            blanks.Add(name);
        }

        if (blanks.Count > 0)
        {
            _notes.Add($"the header has {blanks.Count} blank name(s); named them {string.Join(", ", blanks)}");
        }

        return names;
    }

    private static string Preview(ReadOnlySpan<char> text) =>
        text.Length <= PreviewLength ? text.ToString() : string.Concat(text[..PreviewLength], "…");
}
