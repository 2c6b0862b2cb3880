namespace Ferry.Data.Loading.Csv;

/// <summary>How a CSV file is laid out: its delimiter and whether its first row names the columns.</summary>
/// <param name="Delimiter">The field delimiter.</param>
/// <param name="DelimiterDetected">Whether the delimiter was detected rather than given.</param>
/// <param name="HasHeader">Whether the first row is a header.</param>
/// <param name="HeaderDetected">Whether that was detected rather than given.</param>
/// <param name="FieldCount">The usual number of fields a row has in the sample (0 when the sample has no rows).</param>
internal sealed record CsvDialect(char Delimiter, bool DelimiterDetected, bool HasHeader, bool HeaderDetected, int FieldCount);

/// <summary>
/// Detects the delimiter and header from the first block of a file. Both are guesses from a sample, so
/// each can be overridden through <see cref="TableLoadOptions"/>.
/// </summary>
internal static class CsvDialectDetector
{
    /// <summary>The delimiters tried, in order of preference when they fit equally well.</summary>
    public static readonly char[] Candidates = [',', ';', '\t', '|'];

    private const int SampleRecords = 100;

    /// <summary>Detects what <paramref name="options"/> leaves open from <paramref name="sample"/>.</summary>
    /// <param name="sample">The first characters of the file.</param>
    /// <param name="sampleIsWholeFile">Whether the sample ends where the file ends (so its last record is complete).</param>
    /// <param name="options">The load options; a given delimiter or header setting wins.</param>
    /// <param name="source">The file name, for errors.</param>
    public static CsvDialect Detect(ReadOnlySpan<char> sample, bool sampleIsWholeFile, TableLoadOptions options, string source)
    {
        var delimiter = options.Delimiter ?? ChooseDelimiter(sample, sampleIsWholeFile, options, source);
        var records = Sample(sample, sampleIsWholeFile, delimiter, options, source);
        var fieldCount = records.Count == 0 ? 0 : Mode(records, out _);
        var hasHeader = options.HasHeader ?? LooksLikeHeader(records, delimiter == ';');
        return new CsvDialect(delimiter, options.Delimiter is null, hasHeader, options.HasHeader is null, fieldCount);
    }

    /// <summary>
    /// The first row is a header when none of its values is a missing token (blank ones are allowed: pandas
    /// leaves the name over its index blank) and either a column has a text name over numbers, or every
    /// non-blank name is distinct text that does not reappear as a value of its own column (which would make
    /// it look like data). A repeated name does not stop the first case, so the load can report it
    /// (<c>CSV_DUPLICATE_HEADER</c>) instead of reading the header as a data row.
    /// </summary>
    internal static bool LooksLikeHeader(IReadOnlyList<string[]> records, bool decimalComma)
    {
        if (records.Count == 0)
        {
            return false;
        }

        var first = records[0];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var textNames = 0;
        var numericNames = 0;
        var distinct = true;
        foreach (var value in first)
        {
            if (value.Length == 0)
            {
                continue; // a blank name (pandas writes one over its index) does not decide anything
            }

            if (CsvValues.IsMissing(value))
            {
                return false;
            }

            distinct &= names.Add(value);

            if (CsvValues.TryParseNumber(value, decimalComma, out _))
            {
                numericNames++;
            }
            else
            {
                textNames++;
            }
        }

        if (textNames == 0)
        {
            return false;
        }

        var data = records.Skip(1).Where(r => r.Length == first.Length).ToList();
        for (var column = 0; column < first.Length; column++)
        {
            var name = first[column];
            if (name.Length > 0 && !CsvValues.TryParseNumber(name, decimalComma, out _)
                && data.Any(r => CsvValues.TryParseNumber(r[column], decimalComma, out _)))
            {
                return true;
            }
        }

        if (numericNames > 0 || !distinct)
        {
            return false;
        }

        for (var column = 0; column < first.Length; column++)
        {
            var name = first[column];
            if (name.Length > 0 && data.Any(r => string.Equals(r[column], name, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static char ChooseDelimiter(ReadOnlySpan<char> sample, bool sampleIsWholeFile, TableLoadOptions options, string source)
    {
        var best = ',';
        var bestConsistency = 0.0;
        var bestCount = 1;
        foreach (var candidate in Candidates)
        {
            var records = Sample(sample, sampleIsWholeFile, candidate, options, source);
            if (records.Count == 0)
            {
                continue;
            }

            var count = Mode(records, out var consistency);
            if (count <= 1)
            {
                continue;
            }

            // Most rows agreeing matters more than many fields: a wrong delimiter that appears inside
            // values gives counts that vary from row to row.
            if (consistency > bestConsistency + 1e-9 || (Math.Abs(consistency - bestConsistency) <= 1e-9 && count > bestCount))
            {
                best = candidate;
                bestConsistency = consistency;
                bestCount = count;
            }
        }

        return best;
    }

    private static List<string[]> Sample(ReadOnlySpan<char> sample, bool sampleIsWholeFile, char delimiter, TableLoadOptions options, string source)
    {
        var collector = new Collector();
        var record = new CsvRecordBuffer(CsvTableReader.MaxStoredFields(options), options.MaxFieldLength);
        var tokenizer = new CsvTokenizer(delimiter, record, collector, source);
        tokenizer.Feed(sample);
        if (!tokenizer.Stopped && (sampleIsWholeFile || collector.Records.Count == 0))
        {
            // The cut at the end of a sample is arbitrary, so a partial last record only counts when it is all there is.
            tokenizer.CompleteLeniently();
        }

        return collector.Records;
    }

    private static int Mode(List<string[]> records, out double consistency)
    {
        var counts = new Dictionary<int, int>();
        foreach (var r in records)
        {
            counts[r.Length] = counts.GetValueOrDefault(r.Length) + 1;
        }

        var mode = counts.OrderByDescending(kv => kv.Value).ThenByDescending(kv => kv.Key).First();
        consistency = (double)mode.Value / records.Count;
        return mode.Key;
    }

    private sealed class Collector : ICsvRecordSink
    {
        public List<string[]> Records { get; } = [];

        public bool OnRecord(CsvRecordBuffer record)
        {
            // Fields past the stored ones are counted but have no text; they still make the row's length.
            var fields = new string[record.FieldCount];
            var stored = record.StoredFieldCount;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = i < stored ? record.FieldText(i) : string.Empty;
            }

            Records.Add(fields);
            return Records.Count < SampleRecords;
        }
    }
}
