using System.Text.Json;
using Ferry.Data.Tables;
using Ferry.Learn.Features;

namespace Ferry.Serving.Protocols;

/// <summary>Decodes pandas' split orient, <c>{"columns": [...], "data": [[...], ...]}</c>, for <see cref="RowsDecoder.DecodeSplit"/>.</summary>
internal static class SplitFrame
{
    public static Table Decode(RowsDecoder decoder, JsonElement split, string path)
    {
        var layout = decoder.Layout;
        layout.EnsureTabular();
        if (split.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolErrors.Request($"{path} must be an object {{\"columns\": [...], \"data\": [[...], ...]}}; got {ProtocolErrors.Shown(split)}");
        }

        if (!split.TryGetProperty("columns"u8, out var names) || names.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolErrors.Request($"{path}.columns must be a list of column names");
        }

        if (!split.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolErrors.Request($"{path}.data must be a list of rows, each a list of values in the order of {path}.columns");
        }

        var targets = Targets(decoder, names, path);
        var count = decoder.CheckRows(data.GetArrayLength(), path + ".data");
        var builder = new TableBuilder(layout, decoder.Policy, count);
        var prefix = path + ".data";
        var r = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != targets.Length)
            {
                var got = row.ValueKind == JsonValueKind.Array ? $"{row.GetArrayLength()} values" : ProtocolErrors.Shown(row);
                throw InputErrors.At(null, r, $"{prefix}[{r}] must be a list of {targets.Length} values, one per column of {path}.columns; got {got}");
            }

            var j = 0;
            foreach (var value in row.EnumerateArray())
            {
                if (targets[j] >= 0)
                {
                    builder.Set(targets[j], value, new ValuePath(PathStyle.Split, prefix, layout.Inputs[targets[j]].Name, r, j));
                }

                j++;
            }

            r++;
        }

        return builder.Build();
    }

    /// <summary>The input each split column fills (-1 for an extra column the policy lets through).</summary>
    private static int[] Targets(RowsDecoder decoder, JsonElement names, string path)
    {
        var layout = decoder.Layout;
        var targets = new int[names.GetArrayLength()];
        var filled = new bool[layout.Inputs.Length];
        var j = 0;
        string? extra = null;
        foreach (var name in names.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                throw ProtocolErrors.Request($"{path}.columns[{j}] must be a column name (a string), got {ProtocolErrors.Shown(name)}");
            }

            var text = name.GetString()!;
            var input = layout.IndexOf(text);
            if (input < 0)
            {
                if (!decoder.Policy.AllowExtraFields)
                {
                    throw ProtocolErrors.Request($"{path}.columns has column '{text}', which the model does not read (its inputs: {layout.InputNames}); remove it", text);
                }

                extra ??= text;
            }
            else if (filled[input])
            {
                throw ProtocolErrors.Request($"{path}.columns has column '{text}' twice; send it once", text);
            }
            else
            {
                filled[input] = true;
            }

            targets[j++] = input;
        }

        var missing = Array.IndexOf(filled, false);
        if (missing >= 0)
        {
            var name = layout.Inputs[missing].Name;
            var hint = extra is null ? "" : $" (it has '{extra}', which the model does not read)";
            throw ProtocolErrors.Request($"column '{name}' is missing in {path}.columns{hint}; send it with null for unknown values", name);
        }

        return targets;
    }
}
