using System.Buffers;
using System.Globalization;
using System.Text;
using Ferry.Data.Tables;

namespace Ferry.Data.Loading.Csv;

/// <summary>
/// Writes a <see cref="Table"/> as RFC 4180 CSV: UTF-8 without BOM, comma-separated, CRLF line ends,
/// a header row, numbers in invariant round-trip form, a missing value as an empty field.
/// </summary>
/// <remarks>
/// A value is quoted when it holds a comma, quote or line break, when it starts or ends with a space or tab
/// (unquoted values are trimmed on reading), or when it holds <c>;</c>, tab or <c>|</c> (so delimiter detection
/// is never misled). Some values cannot survive a round trip through <see cref="CsvTableReader"/>: a string equal
/// to a missing token (<c>NA</c>, <c>null</c>, <c>""</c>…) reads back as missing, and a string column whose
/// values all look like numbers reads back as a numeric column.
/// </remarks>
public static class CsvTableWriter
{
    private const string LineEnd = "\r\n";
    private const int FlushThreshold = 1 << 16;
    private static readonly SearchValues<char> QuoteTriggers = SearchValues.Create(",\"\r\n;\t|");

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/>, replacing it only once the whole file is written.</summary>
    /// <param name="table">The table to write.</param>
    /// <param name="path">The target file; its folder is created if missing.</param>
    /// <param name="cancellationToken">Stops the write; the target is then left as it was.</param>
    public static async Task WriteAsync(Table table, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException("path has no parent folder", nameof(path));
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
                await using (writer.ConfigureAwait(false))
                {
                    await WriteRowsAsync(table, writer, cancellationToken).ConfigureAwait(false);
                }
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

    private static async Task WriteRowsAsync(Table table, StreamWriter writer, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var single = table.ColumnCount == 1;
        for (var c = 0; c < table.ColumnCount; c++)
        {
            AppendSeparator(line, c);
            AppendText(line, table.Columns[c].Name, single);
        }

        line.Append(LineEnd);
        var cells = table.Columns.Select(CellWriter.For).ToArray();
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < cells.Length; c++)
            {
                AppendSeparator(line, c);
                cells[c].Append(line, row, single);
            }

            line.Append(LineEnd);
            if (line.Length >= FlushThreshold)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                line.Clear();
            }
        }

        await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AppendSeparator(StringBuilder line, int column)
    {
        if (column > 0)
        {
            line.Append(',');
        }
    }

    /// <summary>Appends a text value, quoted when the reader would otherwise see it differently.</summary>
    internal static void AppendText(StringBuilder line, string? value, bool singleColumn)
    {
        if (value is null)
        {
            // A blank line would be skipped on reading; in a one-column table a missing value must show.
            if (singleColumn)
            {
                line.Append("\"\"");
            }

            return;
        }

        if (!NeedsQuotes(value))
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        foreach (var ch in value)
        {
            line.Append(ch == '"' ? "\"\"" : ch);
        }

        line.Append('"');
    }

    private static bool NeedsQuotes(string value) =>
        value.Length == 0
        || value.AsSpan().ContainsAny(QuoteTriggers)
        || value[0] == ' ' || value[^1] == ' ';

    private abstract class CellWriter
    {
        public static CellWriter For(Column column) => column switch
        {
            NumericColumn numeric => new NumberCells(numeric),
            StringColumn text => new TextCells(text),
            _ => new GenericCells(column),
        };

        public abstract void Append(StringBuilder line, int row, bool singleColumn);
    }

    private sealed class NumberCells(NumericColumn column) : CellWriter
    {
        public override void Append(StringBuilder line, int row, bool singleColumn)
        {
            var value = column[row];
            if (double.IsNaN(value))
            {
                AppendText(line, null, singleColumn);
                return;
            }

            Span<char> buffer = stackalloc char[32];
            if (value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture))
            {
                line.Append(buffer[..written]);
            }
            else
            {
                line.Append(NumericColumn.Format(value));
            }
        }
    }

    private sealed class TextCells(StringColumn column) : CellWriter
    {
        // Each distinct value is escaped once, not once per row.
        private readonly string?[] _escaped = new string?[column.Dictionary.Count];

        public override void Append(StringBuilder line, int row, bool singleColumn)
        {
            var code = column.Codes[row];
            if (code == StringColumn.MissingCode)
            {
                AppendText(line, null, singleColumn);
                return;
            }

            if (_escaped[code] is not { } escaped)
            {
                var one = new StringBuilder();
                AppendText(one, column.Dictionary[code], singleColumn);
                escaped = _escaped[code] = one.ToString();
            }

            line.Append(escaped);
        }
    }

    private sealed class GenericCells(Column column) : CellWriter
    {
        public override void Append(StringBuilder line, int row, bool singleColumn) => AppendText(line, column.GetText(row), singleColumn);
    }
}
