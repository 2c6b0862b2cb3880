using Ferry.Data.Tables;

namespace Ferry.Data.Loading.Csv;

/// <summary>How a loaded column ends up stored.</summary>
internal enum CsvColumnStorage
{
    /// <summary>Every value is a number or missing.</summary>
    Numeric,

    /// <summary>Overwhelmingly numbers: the rows holding something else are bad rows.</summary>
    NumericWithBadRows,

    /// <summary>Text, keeping every value as it was written.</summary>
    Text,
}

/// <summary>
/// Collects one column's values while a file is read, without knowing yet whether the column is numeric.
/// </summary>
/// <remarks>
/// Every value is parsed as it arrives and stored as a double (NaN when missing or not a number), which is
/// all a numeric column needs. Text is kept only where a string column could not rebuild it from the number:
/// <list type="bullet">
/// <item>While the column is all numbers, a number's spelling is kept only when it is not canonical
/// (<c>007</c>, <c>1.0</c>, <c>1e3</c>), sparsely by row, dictionary-encoded. Canonical spellings are
/// rebuilt with <see cref="NumericColumn.Format"/> if the column turns out to be text.</item>
/// <item>Past <see cref="SpellingCap"/> distinct kept spellings (or when more than half the rows need one),
/// they are dropped to bound memory. If the column then turns out to be text, those early numbers are shown
/// in canonical form (<c>7</c> for <c>007</c>) and the load adds a note.</item>
/// <item>From the first value that is not a number on, every row gets a dense dictionary code
/// (-1 missing, -2 "canonical number, see the double").</item>
/// <item>Once most values are text, doubles stop being stored: numbers are interned like any text, and
/// are parsed back from the dictionary in the unlikely case the column still ends numeric.</item>
/// </list>
/// </remarks>
internal sealed class CsvColumnBuilder
{
    /// <summary>The most distinct non-canonical number spellings kept while a column is all numbers.</summary>
    public const int SpellingCap = 65_536;

    private const int MissingCode = -1;
    private const int CanonicalNumberCode = -2;

    private readonly bool _decimalComma;
    private readonly ColumnBuffer<double> _values;
    private readonly int _capacity;
    private ChunkedBuffer<int>? _spellingRows = new();
    private ChunkedBuffer<int>? _spellingCodes = new();
    private ColumnBuffer<int>? _codes;
    private Dictionary<string, int> _lookup;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    private List<string> _texts = [];
    private int _flipRow = -1;
    private int _rows;
    private bool _textOnly;
    private bool _spellingsDropped;
    private double[]? _entryValues;

    /// <summary>Creates a builder for about <paramref name="capacity"/> rows; <paramref name="decimalComma"/> also accepts numbers like <c>1,5</c>.</summary>
    public CsvColumnBuilder(bool decimalComma, int capacity)
    {
        _decimalComma = decimalComma;
        _capacity = capacity;
        _values = new ColumnBuffer<double>(capacity);
        _lookup = NewLookup(out _spanLookup);
    }

    /// <summary>Rows appended.</summary>
    public int Count => _rows;

    /// <summary>Roughly how many bytes the builder's buffers hold.</summary>
    public long HeldBytes => (_values.Count * 8L) + ((_codes?.Count ?? 0) * 4L);

    /// <summary>Values that parsed as numbers.</summary>
    public long NumericCount { get; private set; }

    /// <summary>Values that were neither missing nor numbers.</summary>
    public long NonNumericCount { get; private set; }

    /// <summary>Whether some number was written with a decimal comma.</summary>
    public bool SawDecimalComma { get; private set; }

    /// <summary>The row before which numbers may have lost their spelling, when the column became text after dropping them; else -1.</summary>
    public int RespelledBeforeRow => _spellingsDropped && _flipRow >= 0 ? _flipRow : -1;

    /// <summary>Adds the next row's value (trimmed when it was unquoted).</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        _rows++;
        if (CsvValues.IsMissing(text))
        {
            AppendValue(double.NaN);
            _codes?.Append(MissingCode);
            return;
        }

        if (CsvValues.TryParseNumber(text, _decimalComma, out var value, out var canonical))
        {
            AppendValue(value);
            NumericCount++;
            if (_textOnly)
            {
                _codes!.Append(Intern(text));
            }
            else if (canonical)
            {
                _codes?.Append(CanonicalNumberCode);
            }
            else
            {
                KeepSpelling(text);
            }

            return;
        }

        if (_codes is null)
        {
            StartCodes();
        }

        AppendValue(double.NaN);
        NonNumericCount++;
        _codes!.Append(Intern(text));
        if (!_textOnly && NonNumericCount >= 64 && NonNumericCount > NumericCount)
        {
            _textOnly = true; // mostly text: doubles would be 8 wasted bytes a row from here on
        }
    }

    /// <summary>Decides the storage: numbers when all are, or when the exceptions are under 0.5% of at least 200 numbers.</summary>
    public CsvColumnStorage Decide()
    {
        if (NonNumericCount == 0)
        {
            return CsvColumnStorage.Numeric;
        }

        var present = NumericCount + NonNumericCount;
        return NumericCount >= 200 && NonNumericCount * 200 < present ? CsvColumnStorage.NumericWithBadRows : CsvColumnStorage.Text;
    }

    /// <summary>The rows holding a value that is not a number, in order.</summary>
    public IEnumerable<int> NonNumericRows()
    {
        if (_codes is null)
        {
            yield break;
        }

        for (var row = _flipRow; row < _rows; row++)
        {
            if (_codes[row] >= 0 && double.IsNaN(ValueAt(row)))
            {
                yield return row;
            }
        }
    }

    /// <summary>The text of a row that holds a non-number.</summary>
    public string TextAt(int row) => _codes is not null && _codes[row] >= 0 ? _texts[_codes[row]] : NumericColumn.Format(ValueAt(row)) ?? string.Empty;

    /// <summary>Builds the column, leaving out the rows flagged in <paramref name="removed"/>.</summary>
    public Column Build(string name, CsvColumnStorage storage, bool[]? removed, int keptCount)
    {
        if (storage != CsvColumnStorage.Text)
        {
            var values = _values.Count == _rows ? _values.ToArray(removed, keptCount) : ValuesFromCodes(removed, keptCount);
            Release();
            return new NumericColumn(name, values);
        }

        var codes = new int[keptCount];
        var dictionary = new List<string>();
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var remap = new int[_texts.Count];
        Array.Fill(remap, MissingCode);
        var byNumber = new Dictionary<long, int>();
        var target = 0;
        for (var row = 0; row < _rows; row++)
        {
            if (removed is not null && removed[row])
            {
                continue;
            }

            var code = _codes![row];
            if (code >= 0)
            {
                if (remap[code] == MissingCode)
                {
                    remap[code] = FinalCode(_texts[code], dictionary, byText);
                }

                code = remap[code];
            }
            else if (code == CanonicalNumberCode)
            {
                var bits = BitConverter.DoubleToInt64Bits(_values[row]);
                if (!byNumber.TryGetValue(bits, out code))
                {
                    code = FinalCode(NumericColumn.Format(_values[row])!, dictionary, byText);
                    byNumber.Add(bits, code);
                }
            }

            codes[target++] = code;
        }

        Release();
        return new StringColumn(name, codes, [.. dictionary]);
    }

    private void AppendValue(double value)
    {
        if (!_textOnly)
        {
            _values.Append(value);
        }
    }

    private double ValueAt(int row)
    {
        if (row < _values.Count)
        {
            return _values[row];
        }

        var code = _codes![row];
        if (code < 0)
        {
            return double.NaN;
        }

        if (_entryValues is null || _entryValues.Length < _texts.Count)
        {
            _entryValues = new double[_texts.Count];
            for (var i = 0; i < _texts.Count; i++)
            {
                _entryValues[i] = CsvValues.TryParseNumber(_texts[i], _decimalComma, out var v) ? v : double.NaN;
            }
        }

        return _entryValues[code];
    }

    private double[] ValuesFromCodes(bool[]? removed, int keptCount)
    {
        var values = new double[keptCount];
        var target = 0;
        for (var row = 0; row < _rows; row++)
        {
            if (removed is null || !removed[row])
            {
                values[target++] = ValueAt(row);
            }
        }

        return values;
    }

    private static int FinalCode(string text, List<string> dictionary, Dictionary<string, int> byText)
    {
        if (!byText.TryGetValue(text, out var code))
        {
            code = dictionary.Count;
            dictionary.Add(text);
            byText.Add(text, code);
        }

        return code;
    }

    private void KeepSpelling(ReadOnlySpan<char> text)
    {
        if (_decimalComma && !SawDecimalComma && text.Contains(','))
        {
            SawDecimalComma = true;
        }

        if (_codes is not null)
        {
            _codes.Append(Intern(text));
            return;
        }

        if (_spellingsDropped)
        {
            return;
        }

        var code = Intern(text);
        _spellingRows!.Append(_rows - 1);
        _spellingCodes!.Append(code);
        if (_texts.Count > SpellingCap || (_spellingRows.Count > SpellingCap && _spellingRows.Count > _rows / 2))
        {
            _spellingsDropped = true;
            _spellingRows = null;
            _spellingCodes = null;
            _lookup = NewLookup(out _spanLookup);
            _texts = [];
        }
    }

    private void StartCodes()
    {
        // The first non-number: from here on every row is coded, and earlier rows get codes from their numbers.
        _flipRow = _rows - 1;
        _codes = new ColumnBuffer<int>(_capacity);
        for (var row = 0; row < _flipRow; row++)
        {
            _codes.Append(double.IsNaN(_values[row]) ? MissingCode : CanonicalNumberCode);
        }

        if (_spellingRows is not null)
        {
            for (var i = 0; i < _spellingRows.Count; i++)
            {
                _codes[_spellingRows[i]] = _spellingCodes![i];
            }
        }

        _spellingRows = null;
        _spellingCodes = null;
    }

    private int Intern(ReadOnlySpan<char> text)
    {
        if (_spanLookup.TryGetValue(text, out var code))
        {
            return code;
        }

        var value = text.ToString();
        code = _texts.Count;
        _texts.Add(value);
        _lookup.Add(value, code);
        return code;
    }

    private void Release()
    {
        _values.Clear();
        _codes = null;
        _entryValues = null;
        _lookup = NewLookup(out _spanLookup);
        _texts = [];
    }

    private static Dictionary<string, int> NewLookup(out Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> spanLookup)
    {
        // Looked up by span so a value already seen costs no string.
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        spanLookup = lookup.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup;
    }
}
