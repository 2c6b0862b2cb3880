using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>
/// Hashes and compares whole rows of one or two tables over aligned columns, by canonical value: numbers by value
/// (so "1.0" and "1" are equal, as their canonical text is), text ordinally, missing equal to missing.
/// Rows are never turned into strings; only a column stored as numbers on one side and text on the other
/// is compared through its text.
/// </summary>
internal sealed class RowKeys : IEqualityComparer<RowKeys.RowRef>
{
    private const ulong MissingHash = 0x9E3779B97F4A7C15UL;

    private readonly Column[][] _sides;
    private readonly bool[] _asText;
    private readonly ulong[][] _hashes;

    /// <summary>Prepares keys over <paramref name="sides"/>: one list of columns per table, aligned by position.</summary>
    public RowKeys(params IReadOnlyList<Column>[] sides)
    {
        _sides = [.. sides.Select(s => s.ToArray())];
        var width = _sides[0].Length;
        _asText = new bool[width];
        for (var c = 0; c < width; c++)
        {
            _asText[c] = _sides.Any(s => s[c].GetType() != _sides[0][c].GetType());
        }

        _hashes = [.. _sides.Select(HashRows)];
    }

    /// <summary>A row of one side.</summary>
    /// <param name="Side">The index of the table.</param>
    /// <param name="Row">The 0-based row.</param>
    public readonly record struct RowRef(int Side, int Row);

    /// <summary>The hash of a whole row.</summary>
    public ulong HashOf(int side, int row) => _hashes[side][row];

    /// <inheritdoc />
    public bool Equals(RowRef x, RowRef y)
    {
        if (_hashes[x.Side][x.Row] != _hashes[y.Side][y.Row])
        {
            return false;
        }

        var a = _sides[x.Side];
        var b = _sides[y.Side];
        for (var c = 0; c < a.Length; c++)
        {
            if (!CellEquals(a[c], x.Row, b[c], y.Row, _asText[c]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public int GetHashCode(RowRef obj) => (int)(_hashes[obj.Side][obj.Row] ^ (_hashes[obj.Side][obj.Row] >> 32));

    /// <summary>A 64-bit mix of a value (fmix64 from MurmurHash3).</summary>
    public static ulong Mix(ulong key)
    {
        key ^= key >> 33;
        key *= 0xFF51AFD7ED558CCDUL;
        key ^= key >> 33;
        key *= 0xC4CEB9FE1A85EC53UL;
        key ^= key >> 33;
        return key;
    }

    /// <summary>The hash of a number by value: -0 equals 0; NaN is missing.</summary>
    public static ulong HashNumber(double v) =>
        double.IsNaN(v) ? MissingHash : Mix(v == 0 ? 0UL : BitConverter.DoubleToUInt64Bits(v));

    /// <summary>The hash of a text value (stable within a process, which is all comparisons need).</summary>
    public static ulong HashText(string? s) =>
        s is null ? MissingHash : Mix((ulong)(uint)string.GetHashCode(s, StringComparison.Ordinal) | ((ulong)(uint)s.Length << 32));

    /// <summary>Per-dictionary-entry hashes of a text column, so rows hash without touching strings.</summary>
    public static ulong[] HashDictionary(StringColumn column) => [.. column.Dictionary.Select(HashText)];

    private ulong[] HashRows(Column[] columns)
    {
        var rows = columns.Length == 0 ? 0 : columns[0].Length;
        var hashes = new ulong[rows];
        for (var c = 0; c < columns.Length; c++)
        {
            var salt = Mix((ulong)c + 1);
            switch (columns[c])
            {
                case NumericColumn numeric when !_asText[c]:
                    var values = numeric.Values;
                    for (var r = 0; r < rows; r++)
                    {
                        hashes[r] = Combine(hashes[r], HashNumber(values[r]), salt);
                    }

                    break;
                case StringColumn text:
                    var dictionary = HashDictionary(text);
                    var codes = text.Codes;
                    for (var r = 0; r < rows; r++)
                    {
                        var cell = codes[r] == StringColumn.MissingCode ? MissingHash : dictionary[codes[r]];
                        hashes[r] = Combine(hashes[r], cell, salt);
                    }

                    break;
                default:
                    var column = columns[c];
                    for (var r = 0; r < rows; r++)
                    {
                        hashes[r] = Combine(hashes[r], HashText(column.GetText(r)), salt);
                    }

                    break;
            }
        }

        return hashes;
    }

    private static ulong Combine(ulong hash, ulong cell, ulong salt) =>
        (System.Numerics.BitOperations.RotateLeft(hash, 23) ^ Mix(cell + salt)) * 0x100000001B3UL;

    private static bool CellEquals(Column a, int rowA, Column b, int rowB, bool asText)
    {
        if (asText)
        {
            return string.Equals(a.GetText(rowA), b.GetText(rowB), StringComparison.Ordinal);
        }

        if (a is NumericColumn x && b is NumericColumn y)
        {
            var u = x[rowA];
            var v = y[rowB];
            return u == v || (double.IsNaN(u) && double.IsNaN(v));
        }

        var s = (StringColumn)a;
        var t = (StringColumn)b;
        if (ReferenceEquals(s, t) && s.Codes[rowA] == t.Codes[rowB])
        {
            return true;
        }

        return string.Equals(s[rowA], t[rowB], StringComparison.Ordinal);
    }
}
