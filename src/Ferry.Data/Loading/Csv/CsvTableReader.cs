namespace Ferry.Data.Loading.Csv;

/// <summary>
/// Loads a CSV file into a <see cref="Tables.Table"/>, streaming it in blocks: the delimiter, header and
/// encoding are detected from the first 64 KiB unless <see cref="TableLoadOptions"/> says otherwise; each
/// column is stored as numbers when its values are numbers, otherwise as the text written in the file;
/// rows that cannot be read are left out and reported (or, in strict mode, stop the load).
/// </summary>
/// <remarks>
/// Missing values are empty fields and the tokens <c>NA</c>, <c>NaN</c>, <c>?</c>, <c>null</c> and <c>N/A</c>
/// (case-insensitive, after trimming an unquoted value; quoting does not change this, so quote-everything
/// exports read the same). <c>None</c> is a real value. A header that names two columns the same is an error
/// (<c>CSV_DUPLICATE_HEADER</c>) rather than a silent rename, because features with the same name are
/// ambiguous for every later step.
/// </remarks>
public static class CsvTableReader
{
    private const int BlockSize = 1 << 20;
    private const int MaxPreallocatedRows = 1 << 24;

    /// <summary>Loads the CSV file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">How to read it; unset options are detected.</param>
    /// <param name="progress">Receives the bytes read, about every megabyte.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <returns>The table, the bad rows left out, and notes on what was detected.</returns>
    /// <exception cref="FerryException">
    /// The file does not exist (<c>FILE_NOT_FOUND</c>) or cannot be read as CSV (an <see cref="ErrorKind.InvalidInput"/>
    /// code such as <c>CSV_EMPTY</c>, <c>CSV_BINARY</c> or <c>CSV_UNTERMINATED_QUOTE</c>, with the line where known).
    /// </exception>
    public static async Task<TableLoadResult> LoadAsync(
        string path, TableLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw FerryException.NotFound("FILE_NOT_FOUND", $"'{path}' does not exist; check the path");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FerryException.Invalid("FILE_UNREADABLE", $"cannot be opened: {e.Message}", new SourceLocation(path), e);
        }

        await using (stream.ConfigureAwait(false))
        {
            return await LoadAsync(stream, path, options, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads CSV from <paramref name="stream"/>, read to its end (the stream is not closed).</summary>
    /// <param name="stream">The bytes to read.</param>
    /// <param name="sourceName">How to name the source in errors and in the result, for example a file name.</param>
    /// <param name="options">How to read it; unset options are detected.</param>
    /// <param name="progress">Receives the bytes read, about every megabyte.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <returns>The table, the bad rows left out, and notes on what was detected.</returns>
    /// <exception cref="FerryException">The content cannot be read as CSV.</exception>
    public static async Task<TableLoadResult> LoadAsync(
        Stream stream, string sourceName, TableLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        long? total = stream.CanSeek ? stream.Length - stream.Position : null;
        var bytes = new byte[BlockSize];
        var headLength = await FillAsync(stream, bytes.AsMemory(0, CsvEncodingDetector.HeadSize), cancellationToken).ConfigureAwait(false);
        var atEnd = headLength < CsvEncodingDetector.HeadSize;
        var encoding = CsvEncodingDetector.Detect(bytes.AsSpan(0, headLength), atEnd, options.Encoding, sourceName);
        if (headLength == encoding.PreambleLength)
        {
            throw FerryException.Invalid("CSV_EMPTY", "is empty: it has no rows to load", new SourceLocation(sourceName));
        }

        var decoder = encoding.Encoding.GetDecoder();
        var chars = new char[encoding.Encoding.GetMaxCharCount(BlockSize) + 16];
        var charCount = decoder.GetChars(bytes, encoding.PreambleLength, headLength - encoding.PreambleLength, chars, 0, flush: atEnd);
        var dialect = CsvDialectDetector.Detect(chars.AsSpan(0, charCount), atEnd, options, sourceName);

        var estimate = EstimateRows(chars.AsSpan(0, charCount), headLength, total, atEnd, dialect.FieldCount);
        var assembler = new CsvTableAssembler(sourceName, options, dialect, estimate);
        var record = new CsvRecordBuffer(MaxStoredFields(options), options.MaxFieldLength);
        var tokenizer = new CsvTokenizer(dialect.Delimiter, record, assembler, sourceName);
        tokenizer.Feed(chars.AsSpan(0, charCount));
        long read = headLength;
        progress?.Report(new LoadProgress(read, total));
        while (!atEnd)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var got = await stream.ReadAsync(bytes, cancellationToken).ConfigureAwait(false);
            atEnd = got == 0;
            read += got;
            charCount = decoder.GetChars(bytes, 0, got, chars, 0, flush: atEnd);
            tokenizer.Feed(chars.AsSpan(0, charCount));
            if (got > 0)
            {
                progress?.Report(new LoadProgress(read, total));
            }
        }

        tokenizer.Complete();
        cancellationToken.ThrowIfCancellationRequested();

        var (table, badRows, badRowCount, assemblerNotes) = assembler.Finish(cancellationToken);
        var notes = new List<string>();
        if (encoding.Note is not null)
        {
            notes.Add(encoding.Note);
        }

        if (encoding.Replacements is { Count: > 0 } replaced)
        {
            notes.Add($"{replaced.Count} invalid UTF-8 byte sequence(s) were replaced with '\uFFFD'; the values that hold them are damaged");
        }

        if (dialect.DelimiterDetected && dialect.Delimiter != ',')
        {
            notes.Add($"detected delimiter {CsvFormat.Show(dialect.Delimiter)}");
        }

        if (dialect.HeaderDetected && !dialect.HasHeader)
        {
            notes.Add($"no header row detected, so the columns are named column_1 to column_{table.ColumnCount}; set HasHeader if the first row is a header");
        }

        notes.AddRange(assemblerNotes);
        return new TableLoadResult(
            table, sourceName, CsvFormat.Describe(dialect.Delimiter, dialect.HasHeader, encoding.DisplayName), badRows, badRowCount, notes);
    }

    /// <summary>Fields a record may store: one past the column limit, so a row over it is still seen as too wide.</summary>
    internal static int MaxStoredFields(TableLoadOptions options) => (int)Math.Min((long)options.MaxColumns + 1, Array.MaxLength);

    private static void ValidateOptions(TableLoadOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxColumns, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFieldLength, 1, nameof(options));
        if (options.Delimiter is { } d && (d is '"' or '\r' or '\n' || char.IsSurrogate(d)))
        {
            throw FerryException.Usage("CSV_BAD_DELIMITER", $"'{d}' cannot be a delimiter; use a character such as ',', ';', tab or '|'");
        }
    }

    private static int EstimateRows(ReadOnlySpan<char> head, int headBytes, long? totalBytes, bool headIsAll, int fieldCount)
    {
        // Line breaks in the first block, scaled to the file size, plus a margin: rows vary in length, and
        // running short costs a copy while a generous guess costs only address space.
        var lines = head.Count('\n');
        if (lines == 0)
        {
            lines = head.Count('\r');
        }

        if (headIsAll)
        {
            return lines + 1;
        }

        if (totalBytes is not { } total || headBytes == 0)
        {
            return 4096;
        }

        // A row takes at least a byte a field, and a head of unusually short rows must not reserve absurd
        // buffers: past the cap the buffers grow as needed.
        var estimate = (lines + 1.0) * total / headBytes * 1.05 + 64;
        estimate = Math.Min(estimate, (double)total / Math.Max(1, fieldCount) + 64);
        return (int)Math.Min(estimate, MaxPreallocatedRows);
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var got = await stream.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                break;
            }

            filled += got;
        }

        return filled;
    }
}
