namespace Ferry.Data.Tables;

/// <summary>
/// A column of text values, dictionary-encoded: each row holds a code into <see cref="Dictionary"/>,
/// or <see cref="MissingCode"/>. Repeated categories cost four bytes a row, not a string each.
/// </summary>
public sealed class StringColumn : Column
{
    /// <summary>The code of a missing value.</summary>
    public const int MissingCode = -1;

    private readonly int[] _codes;
    private readonly string[] _dictionary;
    private readonly int _missing;

    /// <summary>Creates a column from codes and their dictionary (both owned by the column from now on).</summary>
    /// <exception cref="ArgumentException">A code is outside the dictionary.</exception>
    public StringColumn(string name, int[] codes, string[] dictionary)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(dictionary);
        var missing = 0;
        foreach (var code in codes)
        {
            if (code == MissingCode)
            {
                missing++;
            }
            else if ((uint)code >= (uint)dictionary.Length)
            {
                throw new ArgumentException($"code {code} is outside the dictionary of {dictionary.Length}", nameof(codes));
            }
        }

        _codes = codes;
        _dictionary = dictionary;
        _missing = missing;
    }

    /// <summary>Builds a column from plain values; null means missing.</summary>
    public static StringColumn FromValues(string name, IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var dictionary = new List<string>();
        var codes = new List<int>();
        foreach (var value in values)
        {
            if (value is null)
            {
                codes.Add(MissingCode);
                continue;
            }

            if (!lookup.TryGetValue(value, out var code))
            {
                code = dictionary.Count;
                lookup.Add(value, code);
                dictionary.Add(value);
            }

            codes.Add(code);
        }

        return new StringColumn(name, [.. codes], [.. dictionary]);
    }

    /// <summary>The per-row codes into <see cref="Dictionary"/>; <see cref="MissingCode"/> where missing.</summary>
    public ReadOnlySpan<int> Codes => _codes;

    /// <summary>The distinct values, indexed by code. It may hold values no row uses after <see cref="SelectRows"/>.</summary>
    public IReadOnlyList<string> Dictionary => _dictionary;

    /// <summary>The value at <paramref name="row"/>, or null when missing.</summary>
    public string? this[int row] => _codes[row] == MissingCode ? null : _dictionary[_codes[row]];

    /// <inheritdoc />
    public override int Length => _codes.Length;

    /// <inheritdoc />
    public override int MissingCount => _missing;

    /// <inheritdoc />
    public override bool IsMissing(int row) => _codes[row] == MissingCode;

    /// <inheritdoc />
    public override string? GetText(int row) => this[row];

    /// <inheritdoc />
    public override Column SelectRows(ReadOnlySpan<int> rows)
    {
        var codes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            codes[i] = _codes[rows[i]];
        }

        return new StringColumn(Name, codes, _dictionary);
    }

    /// <inheritdoc />
    public override Column Rename(string name) => new StringColumn(name, _codes, _dictionary);
}
