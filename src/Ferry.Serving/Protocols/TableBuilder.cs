using System.Globalization;
using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Serving.Protocols;

/// <summary>
/// Collects one request's values into the signature's columns, checking each against its input's kind and the
/// policy: numbers for numeric inputs, text (or numbers and booleans written as text) for the others, null as
/// missing. Every cell must be set once before <see cref="Build"/>. One per request; not thread-safe.
/// </summary>
internal sealed class TableBuilder
{
    private readonly InputLayout _layout;
    private readonly InputPolicy _policy;
    private readonly double[]?[] _numbers;
    private readonly int[]?[] _codes;
    private readonly TextCodes?[] _texts;

    public TableBuilder(InputLayout layout, InputPolicy policy, int rows)
    {
        _layout = layout;
        _policy = policy;
        var inputs = layout.Inputs;
        _numbers = new double[]?[inputs.Length];
        _codes = new int[]?[inputs.Length];
        _texts = new TextCodes?[inputs.Length];
        for (var c = 0; c < inputs.Length; c++)
        {
            if (inputs[c].Kind == ColumnKind.Numeric)
            {
                _numbers[c] = new double[rows];
            }
            else
            {
                _codes[c] = new int[rows];
                _texts[c] = inputs[c].Categories is null ? new TextCodes() : null;
            }
        }
    }

    /// <summary>Sets input <paramref name="column"/> of row <paramref name="path"/>.Row from a JSON value.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the path when the value does not fit.</exception>
    public void Set(int column, JsonElement value, in ValuePath path)
    {
        var slot = _layout.Inputs[column];
        var row = path.Row;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                SetMissing(column, row, path, "null");
                return;
            case JsonValueKind.Number when slot.Kind == ColumnKind.Numeric:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw ProtocolErrors.WrongValue(path, "a number within the range of a double", value);
                }

                _numbers[column]![row] = number;
                return;
            case JsonValueKind.Number when slot.Kind != ColumnKind.DateTime:
                // Categories read from CSV ("1", "2") are text; a client sending 1 means the same category.
                var n = value.TryGetDouble(out var parsed) ? parsed : double.NaN;
                SetText(column, row, NumericColumn.Format(n == 0 ? 0 : n) ?? value.GetRawText(), path);
                return;
            case JsonValueKind.String when slot.Kind == ColumnKind.Numeric:
                SetNonFinite(column, value, path);
                return;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (string.IsNullOrWhiteSpace(text))
                {
                    // A blank is missing, as in the CSV files models are trained from.
                    SetMissing(column, row, path, "blank");
                    return;
                }

                SetText(column, row, text, path);
                return;
            case JsonValueKind.True or JsonValueKind.False when slot.Kind is not (ColumnKind.Numeric or ColumnKind.DateTime):
                SetBoolean(column, value.ValueKind == JsonValueKind.True, path);
                return;
            default:
                throw ProtocolErrors.WrongValue(path, Expected(slot.Kind), value);
        }
    }

    /// <summary>Sets numeric input <paramref name="column"/> of <paramref name="row"/> to a finite number the caller has checked.</summary>
    public void SetNumber(int column, int row, double value) => _numbers[column]![row] = value;

    /// <summary>The columns, in signature order.</summary>
    public Table Build()
    {
        var inputs = _layout.Inputs;
        var columns = new Column[inputs.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = _numbers[c] is { } numbers
                ? new NumericColumn(inputs[c].Name, numbers)
                : new StringColumn(inputs[c].Name, _codes[c]!, inputs[c].Categories ?? _texts[c]!.Dictionary());
        }

        return new Table(columns);
    }

    /// <summary>What a value of this kind must be, for messages.</summary>
    public static string Expected(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => "a number",
        ColumnKind.DateTime => "a date or timestamp string",
        ColumnKind.Boolean => "true, false or a category string",
        _ => "a string",
    };

    // JSON has no NaN or Infinity; clients that write them as strings mean missing (the featurizer imputes both).
    private void SetNonFinite(int column, JsonElement value, in ValuePath path)
    {
        if (value.ValueEquals("NaN"u8))
        {
            SetMissing(column, path.Row, path, "NaN");
        }
        else if (value.ValueEquals("Infinity"u8) || value.ValueEquals("-Infinity"u8))
        {
            SetMissing(column, path.Row, path, value.GetString()!);
        }
        else
        {
            throw ProtocolErrors.WrongValue(path, "a number", value);
        }
    }

    private void SetMissing(int column, int row, in ValuePath path, string what)
    {
        if (!_policy.AllowMissingValues)
        {
            throw ProtocolErrors.MissingNotAllowed(path, what);
        }

        if (_numbers[column] is { } numbers)
        {
            numbers[row] = double.NaN;
        }
        else
        {
            _codes[column]![row] = StringColumn.MissingCode;
        }
    }

    private void SetBoolean(int column, bool value, in ValuePath path)
    {
        var slot = _layout.Inputs[column];
        var code = value ? slot.TrueCode : slot.FalseCode;
        if (code >= 0)
        {
            _codes[column]![path.Row] = code;
            return;
        }

        SetText(column, path.Row, value ? "true" : "false", path);
    }

    private void SetText(int column, int row, string text, in ValuePath path)
    {
        if (_texts[column] is { } texts)
        {
            _codes[column]![row] = texts.CodeOf(text);
            return;
        }

        var slot = _layout.Inputs[column];
        var code = slot.CodeOf(text);
        if (code < 0)
        {
            if (_policy.UnknownCategory == UnknownCategoryHandling.Reject)
            {
                throw ProtocolErrors.UnknownCategory(path, text, slot);
            }

            code = StringColumn.MissingCode;
        }

        _codes[column]![row] = code;
    }

    /// <summary>A request's own dictionary for a text column without known categories.</summary>
    private sealed class TextCodes
    {
        private readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];

        public int CodeOf(string text)
        {
            if (!_lookup.TryGetValue(text, out var code))
            {
                code = _values.Count;
                _lookup.Add(text, code);
                _values.Add(text);
            }

            return code;
        }

        public string[] Dictionary() => [.. _values];
    }
}
