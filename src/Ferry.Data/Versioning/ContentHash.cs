using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ferry.Data.Tables;

namespace Ferry.Data.Versioning;

/// <summary>
/// The version identity of a table: SHA-256 over its normalised content. Normalised means column names
/// and cell values as canonical text (numbers in invariant round-trip form, missing as its own marker),
/// so the same data gives the same hash whatever the delimiter, quoting, line ends, BOM, encoding, number
/// formatting ("1.0" and "1") or file format (CSV or Parquet). Column order and row order count: a
/// reordered file trains and splits differently, so it is a different version.
/// </summary>
public static class ContentHash
{
    /// <summary>The prefix of every hash string, naming the algorithm.</summary>
    public const string Prefix = "sha256:";

    // Bump when the normalisation changes, so old and new hashes can never be confused.
    private static readonly byte[] s_header = Encoding.ASCII.GetBytes("ferry-table-v1\n");

    private const byte MissingTag = 0;
    private const byte ValueTag = 1;

    /// <summary>Computes the content hash of <paramref name="table"/>, for example <c>sha256:9f86d0…</c>.</summary>
    public static string Compute(Table table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new HashWriter(hash);
        writer.WriteBytes(s_header);
        writer.WriteInt(table.ColumnCount);
        foreach (var column in table.Columns)
        {
            writer.WriteString(column.Name);
        }

        writer.WriteInt(table.RowCount);
        for (var row = 0; row < table.RowCount; row++)
        {
            if ((row & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var column in table.Columns)
            {
                writer.WriteCell(column, row);
            }
        }

        writer.Flush();
        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The short form of a hash for display: the first 12 hex digits.</summary>
    public static string Abbreviate(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var hex = hash.StartsWith(Prefix, StringComparison.Ordinal) ? hash[Prefix.Length..] : hash;
        return hex.Length <= 12 ? hex : hex[..12];
    }

    /// <summary>Buffers small writes so hashing 20M cells is not 20M hash calls, and formats numbers without allocating.</summary>
    private sealed class HashWriter(IncrementalHash hash)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _used;

        public void WriteCell(Column column, int row)
        {
            if (column.IsMissing(row))
            {
                WriteByte(MissingTag);
                return;
            }

            WriteByte(ValueTag);
            if (column is NumericColumn numeric)
            {
                Span<byte> utf8 = stackalloc byte[32];
                // "R" matches NumericColumn.Format, so the hash agrees with GetText without a string per cell.
                if (!numeric[row].TryFormat(utf8, out var written, "R", System.Globalization.CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("a double did not fit its format buffer");
                }

                WriteInt(written);
                WriteBytes(utf8[..written]);
            }
            else
            {
                WriteString(column.GetText(row)!);
            }
        }

        public void WriteString(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            WriteInt(length);
            if (length <= _buffer.Length - _used)
            {
                _used += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used));
                return;
            }

            WriteBytes(Encoding.UTF8.GetBytes(value));
        }

        public void WriteInt(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            WriteBytes(bytes);
        }

        public void WriteByte(byte value)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            _buffer[_used++] = value;
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length - _used)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    hash.AppendData(bytes);
                    return;
                }
            }

            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Flush()
        {
            hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
