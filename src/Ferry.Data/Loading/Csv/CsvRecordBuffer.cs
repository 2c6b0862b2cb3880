using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ferry.Data.Loading.Csv;

/// <summary>
/// The fields of the record the tokenizer is reading: their characters (quotes removed, escapes undone)
/// in one reusable buffer, so reading a row allocates nothing once the buffers have grown.
/// </summary>
internal sealed class CsvRecordBuffer
{
    private readonly int _maxStoredFields;
    private readonly int _maxFieldLength;
    private readonly int _maxRecordChars;
    private char[] _chars = new char[4096];
    private int[] _starts = new int[64];
    private int[] _ends = new int[64];
    private bool[] _quoted = new bool[64];

    /// <summary>Creates a buffer that keeps at most <paramref name="maxStoredFields"/> fields of at most <paramref name="maxFieldLength"/> characters.</summary>
    public CsvRecordBuffer(int maxStoredFields, int maxFieldLength)
    {
        _maxStoredFields = maxStoredFields;
        _maxFieldLength = maxFieldLength;

        // A bound on the whole record too, so a pathological row cannot take the memory of its many fields' limits.
        _maxRecordChars = (int)Math.Min(Array.MaxLength, Math.Max(4L * maxFieldLength, 1L << 26));
    }

    /// <summary>The physical line the record starts on (1-based).</summary>
    public long StartLine { get; private set; }

    /// <summary>Fields seen in the record, including any beyond what is stored.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Fields whose text is stored (the first <see cref="FieldCount"/>, up to the limit).</summary>
    public int StoredFieldCount => Math.Min(FieldCount, _maxStoredFields);

    /// <summary>The index of the first field that was longer than allowed, or -1.</summary>
    public int OverlongField { get; private set; } = -1;

    /// <summary>Characters of the current field so far.</summary>
    internal int CurrentFieldLength => _length - _fieldStart;

    private int _length;
    private int _fieldStart;
    private bool _fieldQuoted;

    /// <summary>The text of stored field <paramref name="index"/>: trimmed when unquoted, verbatim when quoted.</summary>
    public ReadOnlySpan<char> Field(int index) => _chars.AsSpan(_starts[index], _ends[index] - _starts[index]);

    /// <summary>Whether stored field <paramref name="index"/> was quoted in the source.</summary>
    public bool IsQuoted(int index) => _quoted[index];

    /// <summary>The text of a stored field, for messages.</summary>
    public string FieldText(int index) => Field(index).ToString();

    /// <summary>Starts a record at <paramref name="line"/>.</summary>
    public void Begin(long line)
    {
        StartLine = line;
        FieldCount = 0;
        OverlongField = -1;
        _length = 0;
        _fieldStart = 0;
        _fieldQuoted = false;
    }

    /// <summary>Appends characters to the current field (dropped past the limits, which are remembered).</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (FieldCount >= _maxStoredFields || text.IsEmpty)
        {
            return;
        }

        var fieldLength = _length - _fieldStart;
        if (fieldLength + text.Length > _maxFieldLength || _length + text.Length > _maxRecordChars)
        {
            if (OverlongField < 0)
            {
                OverlongField = FieldCount;
            }

            return;
        }

        if (_length + text.Length > _chars.Length)
        {
            Grow(_length + text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    /// <summary>Appends one character to the current field.</summary>
    public void Append(char c) => Append(new ReadOnlySpan<char>(in c));

    /// <summary>Whether the current field holds only spaces or tabs so far (a quote may still open it).</summary>
    public bool CurrentFieldIsBlank(char delimiter)
    {
        foreach (var c in _chars.AsSpan(_fieldStart, _length - _fieldStart))
        {
            if (!IsTrimmable(c, delimiter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Turns the current field into a quoted one, dropping the blanks before its opening quote.</summary>
    public void OpenQuote()
    {
        _length = _fieldStart;
        _fieldQuoted = true;
    }

    /// <summary>Ends the current field; unquoted text is trimmed of spaces and tabs.</summary>
    public void EndField(char delimiter)
    {
        if (FieldCount < _maxStoredFields)
        {
            if (FieldCount == _starts.Length)
            {
                GrowFields();
            }

            var start = _fieldStart;
            var end = _length;
            if (!_fieldQuoted)
            {
                Trim(ref start, ref end, delimiter);
            }

            _starts[FieldCount] = start;
            _ends[FieldCount] = end;
            _quoted[FieldCount] = _fieldQuoted;
        }

        FieldCount++;
        _fieldStart = _length;
        _fieldQuoted = false;
    }

    /// <summary>
    /// Reads a whole record from a line known to hold no quote and no line break: one copy, then the
    /// delimiters are found with vector compares. Returns false (doing nothing) when the line is too long for
    /// this shortcut, so the caller reads it the careful way.
    /// </summary>
    public bool TryReadPlainLine(ReadOnlySpan<char> line, char delimiter)
    {
        if (line.Length > _maxFieldLength)
        {
            return false;
        }

        if (line.Length > _chars.Length)
        {
            Grow(line.Length);
        }

        line.CopyTo(_chars);
        _length = line.Length;
        var chars = MemoryMarshal.Cast<char, ushort>(_chars.AsSpan(0, line.Length));
        ref var first = ref MemoryMarshal.GetReference(chars);
        var fieldStart = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var target = Vector256.Create((ushort)delimiter);
            for (; i <= chars.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var mask = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), target).ExtractMostSignificantBits();
                for (; mask != 0; mask &= mask - 1)
                {
                    var at = i + BitOperations.TrailingZeroCount(mask);
                    AddPlainField(fieldStart, at, delimiter);
                    fieldStart = at + 1;
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var target = Vector128.Create((ushort)delimiter);
            for (; i <= chars.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                var mask = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), target).ExtractMostSignificantBits();
                for (; mask != 0; mask &= mask - 1)
                {
                    var at = i + BitOperations.TrailingZeroCount(mask);
                    AddPlainField(fieldStart, at, delimiter);
                    fieldStart = at + 1;
                }
            }
        }

        for (; i < chars.Length; i++)
        {
            if (chars[i] == delimiter)
            {
                AddPlainField(fieldStart, i, delimiter);
                fieldStart = i + 1;
            }
        }

        AddPlainField(fieldStart, chars.Length, delimiter);
        _fieldStart = _length;
        return true;
    }

    /// <summary>Whether the record is a blank line: one empty, unquoted field.</summary>
    public bool IsBlank => FieldCount == 1 && _starts[0] == _ends[0] && !_quoted[0];

    private void AddPlainField(int start, int end, char delimiter)
    {
        if (FieldCount < _maxStoredFields)
        {
            if (FieldCount == _starts.Length)
            {
                GrowFields();
            }

            Trim(ref start, ref end, delimiter);

            _starts[FieldCount] = start;
            _ends[FieldCount] = end;
            _quoted[FieldCount] = false;
        }

        FieldCount++;
    }

    private void GrowFields()
    {
        var size = Math.Min(_starts.Length * 2, _maxStoredFields);
        Array.Resize(ref _starts, size);
        Array.Resize(ref _ends, size);
        Array.Resize(ref _quoted, size);
    }

    /// <summary>Narrows [start, end) past the spaces around an unquoted value.</summary>
    private void Trim(ref int start, ref int end, char delimiter)
    {
        while (start < end && IsTrimmable(_chars[start], delimiter))
        {
            start++;
        }

        while (end > start && IsTrimmable(_chars[end - 1], delimiter))
        {
            end--;
        }
    }

    private static bool IsTrimmable(char c, char delimiter) => (c == ' ' || c == '\t') && c != delimiter;

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Math.Max((long)_chars.Length * 2, needed), Array.MaxLength);
        Array.Resize(ref _chars, size);
    }
}
