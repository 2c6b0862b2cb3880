using Ferry.Data.Tables;
using global::Parquet;
using global::Parquet.Schema;

namespace Ferry.Data.Loading.Parquet;

/// <summary>
/// Reads a flat Parquet file into a <see cref="Table"/>: numbers (any width, decimals) become
/// <see cref="NumericColumn"/>s with NaN for null; text, booleans ("true"/"false"), dates ("yyyy-MM-dd"),
/// timestamps (ISO 8601) and UUIDs become <see cref="StringColumn"/>s. Nested columns are refused.
/// </summary>
public static class ParquetTableReader
{
    private const int FileBufferSize = 1 << 16;

    /// <summary>Reads every row group of the Parquet file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Load options; only <see cref="TableLoadOptions.MaxColumns"/> applies, since a Parquet file has no malformed rows.</param>
    /// <param name="progress">Receives the approximate bytes read after each row group.</param>
    /// <param name="cancellationToken">Stops the read between columns.</param>
    /// <returns>The table, with format "parquet (N row groups)".</returns>
    /// <exception cref="FerryException">
    /// <c>FILE_NOT_FOUND</c> when the file is missing; <c>PARQUET_INVALID</c> when it is not a readable Parquet file;
    /// <c>PARQUET_UNSUPPORTED_TYPE</c> for nested, list, map or binary columns; <c>TOO_MANY_COLUMNS</c> past the limit.
    /// </exception>
    public static async Task<TableLoadResult> LoadAsync(
        string path, TableLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var stream = OpenFile(path);
        await using (stream)
        {
            var totalBytes = stream.Length;
            try
            {
                return await ReadAsync(path, stream, options, totalBytes, progress, cancellationToken);
            }
            catch (Exception ex) when (ex is not (FerryException or OperationCanceledException or OutOfMemoryException))
            {
                // Parquet.Net reports damage with whatever exception the broken bytes trip (ParquetException,
                // IndexOutOfRange, IOException, Thrift errors...); to the user they all mean the same thing.
                throw FerryException.Invalid(
                    "PARQUET_INVALID",
                    $"'{path}' is not a readable Parquet file ({ex.Message}). Check that it is a complete .parquet file, not truncated or another format.",
                    new SourceLocation(path),
                    ex);
            }
        }
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw FerryException.NotFound("FILE_NOT_FOUND", $"no file at '{path}'; check the path.");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw FerryException.Invalid("FILE_UNREADABLE", $"'{path}' cannot be read ({ex.Message}).", new SourceLocation(path), ex);
        }
    }

    private static async Task<TableLoadResult> ReadAsync(
        string path, Stream stream, TableLoadOptions options, long totalBytes, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        // Dates come back as DateOnly so they can be printed without a time part.
        var parquetOptions = new ParquetOptions { UseDateOnlyTypeForDates = true, TreatByteArrayAsString = false };
        await using var reader = await ParquetReader.CreateAsync(stream, parquetOptions, leaveStreamOpen: true, cancellationToken);

        var fields = reader.Schema.Fields;
        if (fields.Count > options.MaxColumns)
        {
            throw FerryException.Invalid(
                "TOO_MANY_COLUMNS",
                $"'{path}' has {fields.Count} columns, more than the limit of {options.MaxColumns}; select fewer columns or raise the limit.",
                new SourceLocation(path));
        }

        var rowCount = CountRows(reader, path);
        var builders = CreateBuilders(path, fields, rowCount);

        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            foreach (var builder in builders)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await builder.ReadAsync(group, offset, rows, cancellationToken);
            }

            offset += rows;
            progress?.Report(new LoadProgress(rowCount == 0 ? totalBytes : totalBytes * offset / rowCount, totalBytes));
        }

        if (reader.RowGroupCount == 0)
        {
            progress?.Report(new LoadProgress(totalBytes, totalBytes));
        }

        var table = new Table(builders.Select(b => b.Build()));
        var notes = builders.Select(b => b.Note).OfType<string>().ToList();
        var format = $"parquet ({reader.RowGroupCount} row group{(reader.RowGroupCount == 1 ? "" : "s")})";
        return new TableLoadResult(table, path, format, [], 0, notes);
    }

    private static int CountRows(ParquetReader reader, string path)
    {
        long total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var rows = reader.OpenRowGroupReader(g).RowCount;
            if (rows < 0)
            {
                throw new InvalidDataException($"row group {g} claims {rows} rows");
            }

            total += rows;
        }

        if (total > Array.MaxLength)
        {
            throw FerryException.Invalid(
                "PARQUET_TOO_LARGE",
                $"'{path}' has {total} rows; Ferry holds at most {Array.MaxLength} rows in memory. Sample the file first.",
                new SourceLocation(path));
        }

        return (int)total;
    }

    private static List<ParquetColumnBuilder> CreateBuilders(string path, IReadOnlyList<Field> fields, int rowCount)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var builders = new List<ParquetColumnBuilder>(fields.Count);
        foreach (var field in fields)
        {
            if (!names.Add(field.Name))
            {
                throw FerryException.Invalid(
                    "PARQUET_INVALID",
                    $"'{path}' has two columns named '{field.Name}'; rename one of them.",
                    new SourceLocation(path, null, field.Name));
            }

            if (field is not DataField data || data.IsArray || data.MaxRepetitionLevel > 0)
            {
                throw Unsupported(path, field.Name, DescribeNested(field));
            }

            builders.Add(ParquetColumnBuilder.Create(data, rowCount)
                ?? throw Unsupported(path, field.Name, DescribeType(data.ClrType)));
        }

        return builders;
    }

    private static string DescribeNested(Field field) => field.SchemaType switch
    {
        SchemaType.List => "a list",
        SchemaType.Map => "a map",
        SchemaType.Struct => "a struct",
        _ => "a repeated field",
    };

    private static string DescribeType(Type type) =>
        type == typeof(ReadOnlyMemory<byte>) || type == typeof(byte[]) ? "binary data"
        : type == typeof(System.Numerics.BigInteger) ? "a 96-bit integer"
        : $"of type {type.Name}";

    private static FerryException Unsupported(string path, string column, string what) =>
        FerryException.Invalid(
            "PARQUET_UNSUPPORTED_TYPE",
            $"column '{column}' in '{path}' is {what}, which Ferry cannot use as a table column; " +
            "flatten it to numbers or text (or drop it) before loading.",
            new SourceLocation(path, null, column));
}
