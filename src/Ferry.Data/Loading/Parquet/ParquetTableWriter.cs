using System.Buffers;
using Ferry.Data.Tables;
using global::Parquet;
using global::Parquet.Schema;

namespace Ferry.Data.Loading.Parquet;

/// <summary>
/// Writes a <see cref="Table"/> as Parquet: numeric columns as nullable doubles, text columns as nullable
/// UTF-8 strings. The file appears complete or not at all (written to a temporary file, then moved).
/// </summary>
public static class ParquetTableWriter
{
    // A million rows keeps each row group's buffers to tens of megabytes while staying large enough for fast reads.
    internal const int DefaultRowGroupSize = 1_000_000;

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/>, replacing any file there.</summary>
    /// <param name="table">The table; it must have at least one column.</param>
    /// <param name="path">The destination file; its folder is created if missing.</param>
    /// <param name="cancellationToken">Stops the write; no file is left behind.</param>
    public static Task WriteAsync(Table table, string path, CancellationToken cancellationToken) =>
        WriteAsync(table, path, DefaultRowGroupSize, cancellationToken);

    /// <summary>Writes with a chosen row group size (tests use small ones to produce many row groups).</summary>
    internal static async Task WriteAsync(Table table, string path, int rowGroupSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        if (table.ColumnCount == 0)
        {
            throw new ArgumentException("a Parquet file needs at least one column", nameof(table));
        }

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no folder", nameof(path));
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream)
            {
                await WriteToAsync(table, stream, rowGroupSize, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static async Task WriteToAsync(Table table, Stream stream, int rowGroupSize, CancellationToken cancellationToken)
    {
        var fields = table.Columns
            .Select(c => c is NumericColumn ? (DataField)new DataField<double?>(c.Name) : new DataField<string>(c.Name, nullable: true))
            .ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false, cancellationToken);
        for (var start = 0; start < table.RowCount; start += rowGroupSize)
        {
            var rows = Math.Min(rowGroupSize, table.RowCount - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (table.Columns[c] is NumericColumn numeric)
                {
                    await WriteNumbersAsync(group, fields[c], numeric, start, rows, cancellationToken);
                }
                else
                {
                    await WriteTextAsync(group, fields[c], table.Columns[c], start, rows);
                }
            }
        }
    }

    private static async Task WriteNumbersAsync(
        ParquetRowGroupWriter group, DataField field, NumericColumn column, int start, int rows, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<double?>.Shared.Rent(rows);
        try
        {
            var values = column.Values.Slice(start, rows);
            for (var i = 0; i < rows; i++)
            {
                buffer[i] = double.IsNaN(values[i]) ? null : values[i];
            }

            await group.WriteAsync<double>(field, buffer.AsMemory(0, rows), null, null, cancellationToken);
        }
        finally
        {
            ArrayPool<double?>.Shared.Return(buffer);
        }
    }

    private static async Task WriteTextAsync(ParquetRowGroupWriter group, DataField field, Column column, int start, int rows)
    {
        // Text comes from GetText so any future column type is written as its canonical text.
        var buffer = ArrayPool<string?>.Shared.Rent(rows);
        try
        {
            for (var i = 0; i < rows; i++)
            {
                buffer[i] = column.GetText(start + i);
            }

            await group.WriteAsync(field, new ArraySegment<string?>(buffer, 0, rows));
        }
        finally
        {
            ArrayPool<string?>.Shared.Return(buffer, clearArray: true);
        }
    }
}
