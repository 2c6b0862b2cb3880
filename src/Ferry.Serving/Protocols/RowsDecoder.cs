using System.Text.Json;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Learn.Features;

namespace Ferry.Serving.Protocols;

/// <summary>
/// Turns JSON rows into a <see cref="Table"/> with one column per signature input, in signature order: row objects
/// (<c>[{"age": 41, "sex": "f"}]</c>), columns (<c>{"age": [41], "sex": ["f"]}</c>) or a split data frame
/// (<c>{"columns": ["age", "sex"], "data": [[41, "f"]]}</c>). Numeric inputs take numbers; categorical, boolean,
/// text and date inputs take strings (numbers and booleans are taken as their text, since categories read from CSV
/// are text); null is missing. Anything else is refused with FerryException INPUT_INVALID whose message starts from
/// the JSON path of the value (<c>instances[3].age must be a number, got "abc"</c>) and whose location holds the
/// column and 1-based row. Create one per served version and share it: it is immutable and thread-safe.
/// </summary>
public sealed class RowsDecoder
{
    /// <summary>Prepares decoding for <paramref name="signature"/> under <paramref name="policy"/> (the defaults when null).</summary>
    public RowsDecoder(ModelSignature signature, InputPolicy? policy = null)
    {
        Layout = new InputLayout(signature);
        Policy = policy ?? InputPolicy.Default;
    }

    /// <summary>The signature rows are checked against.</summary>
    public ModelSignature Signature => Layout.Signature;

    /// <summary>How strictly rows are checked.</summary>
    public InputPolicy Policy { get; }

    internal InputLayout Layout { get; }

    /// <summary>Decodes a list of row objects, <c>[{column: value}, ...]</c>.</summary>
    /// <param name="rows">The list.</param>
    /// <param name="path">Its JSON path for messages, for example <c>instances</c>.</param>
    /// <exception cref="FerryException">INPUT_INVALID naming the path, field and row of the first problem.</exception>
    public Table DecodeRecords(JsonElement rows, string path)
    {
        Layout.EnsureTabular();
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolErrors.Request($"{path} must be a list of rows, one object {{column: value}} each; got {ProtocolErrors.Shown(rows)}");
        }

        var count = CheckRows(rows.GetArrayLength(), path);
        var builder = new TableBuilder(Layout, Policy, count);
        var inputs = Layout.Inputs;
        var r = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object)
            {
                throw InputErrors.At(null, r, $"{path}[{r}] must be an object {{column: value}}, got {ProtocolErrors.Shown(row)}");
            }

            for (var c = 0; c < inputs.Length; c++)
            {
                if (!row.TryGetProperty(inputs[c].Utf8Name, out var value))
                {
                    throw ProtocolErrors.MissingField($"{path}[{r}]", r, inputs[c].Name, FirstExtra(row));
                }

                builder.Set(c, value, new ValuePath(PathStyle.Record, path, inputs[c].Name, r));
            }

            if (row.GetPropertyCount() != inputs.Length)
            {
                CheckFields(row, $"{path}[{r}]", r);
            }

            r++;
        }

        return builder.Build();
    }

    /// <summary>Decodes columns of values, <c>{column: [value, ...], ...}</c>; every column holds one value per row.</summary>
    /// <param name="columns">The object of columns.</param>
    /// <param name="path">Its JSON path for messages, for example <c>inputs</c>.</param>
    /// <exception cref="FerryException">INPUT_INVALID naming the path, column and row of the first problem.</exception>
    public Table DecodeColumns(JsonElement columns, string path)
    {
        Layout.EnsureTabular();
        if (columns.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolErrors.Request($"{path} must be an object {{column: [value, ...]}}; got {ProtocolErrors.Shown(columns)}");
        }

        var inputs = Layout.Inputs;
        var lists = new JsonElement[inputs.Length];
        var count = -1;
        for (var c = 0; c < inputs.Length; c++)
        {
            var name = inputs[c].Name;
            if (!columns.TryGetProperty(inputs[c].Utf8Name, out var list))
            {
                throw ProtocolErrors.MissingField(path, 0, name, FirstExtra(columns));
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw ProtocolErrors.Request($"{path}{ValuePath.Member(name)} must be a list of values, one per row; got {ProtocolErrors.Shown(list)}", name);
            }

            var length = list.GetArrayLength();
            if (count < 0)
            {
                count = CheckRows(length, path);
            }
            else if (length != count)
            {
                throw ProtocolErrors.Request(
                    $"{path}{ValuePath.Member(name)} holds {length} values but {path}{ValuePath.Member(inputs[0].Name)} holds {count}; every column needs one value per row", name);
            }

            lists[c] = list;
        }

        if (columns.GetPropertyCount() != inputs.Length)
        {
            CheckFields(columns, path, 0);
        }

        var builder = new TableBuilder(Layout, Policy, Math.Max(count, 0));
        for (var c = 0; c < inputs.Length; c++)
        {
            var r = 0;
            foreach (var value in lists[c].EnumerateArray())
            {
                builder.Set(c, value, new ValuePath(PathStyle.Columnar, path, inputs[c].Name, r));
                r++;
            }
        }

        return builder.Build();
    }

    /// <summary>Decodes a split data frame, <c>{"columns": [...], "data": [[...], ...], "index"?: [...]}</c> (pandas' split orient; the index is ignored).</summary>
    /// <param name="split">The object.</param>
    /// <param name="path">Its JSON path for messages, for example <c>dataframe_split</c>.</param>
    /// <exception cref="FerryException">INPUT_INVALID naming the path, column and row of the first problem.</exception>
    public Table DecodeSplit(JsonElement split, string path) => SplitFrame.Decode(this, split, path);

    /// <summary>Refuses more rows than the policy allows, or none.</summary>
    internal int CheckRows(long rows, string path)
    {
        if (rows > Policy.MaxRows)
        {
            throw ProtocolErrors.TooManyRows(path, rows, Policy.MaxRows);
        }

        return rows == 0 ? throw ProtocolErrors.NoRows(path) : (int)rows;
    }

    /// <summary>Called when an object's field count differs from the inputs': finds the extra or repeated field.</summary>
    private void CheckFields(JsonElement row, string container, int r)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in row.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw ProtocolErrors.DuplicateField(container, r, property.Name);
            }

            if (!Policy.AllowExtraFields && Layout.IndexOf(property.Name) < 0)
            {
                throw ProtocolErrors.ExtraField(container, r, property.Name, Layout);
            }
        }
    }

    /// <summary>The first field the model does not read, to name beside a missing one (often its misspelling).</summary>
    private string? FirstExtra(JsonElement row)
    {
        foreach (var property in row.EnumerateObject())
        {
            if (Layout.IndexOf(property.Name) < 0)
            {
                return property.Name;
            }
        }

        return null;
    }
}
