using System.Text.Json;
using Ferry.Data.Tables;

namespace Ferry.Serving.Protocols;

/// <summary>
/// The Open Inference decoder's fast path, for the request an all-numeric model usually gets: FP32 or FP64 tensors
/// of flat, finite numbers, either one [N, F] tensor or one [N] / [N, 1] tensor per input, read in one pass with a
/// <see cref="Utf8JsonReader"/> straight into the table's columns, without building a document. Anything else
/// (other datatypes, nested data, nulls or "NaN", requested outputs, extra tensors, a repeated or unknown key, any
/// error at all) is declined, and the caller decodes with the full decoder, which gives the same table or the
/// detailed error. So the fast path never accepts what the full decoder refuses, and never words an error.
/// </summary>
internal static class OpenInferenceFastPath
{
    /// <summary>Decodes <paramref name="utf8"/> when it is a plain numeric request; false to fall back to the full decoder.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, RowsDecoder decoder, out OpenInferenceRequest? request)
    {
        request = null;
        if (!decoder.Layout.AllNumeric)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || ReadBody(ref reader) is not { Tensors: { } tensors } body)
            {
                return false;
            }

            // Nothing may follow the body (the reader throws on anything but whitespace).
            if (reader.Read())
            {
                return false;
            }

            var table = Build(decoder, tensors);
            request = table is null ? null : new OpenInferenceRequest(table, body.Id, null);
            return request is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (List<RawTensor>? Tensors, string? Id)? ReadBody(ref Utf8JsonReader reader)
    {
        List<RawTensor>? tensors = null;
        string? id = null;
        var (seenId, seenParameters) = (false, false);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputs"u8) && tensors is null)
            {
                tensors = reader.Read() && reader.TokenType == JsonTokenType.StartArray ? ReadTensors(ref reader) : null;
                if (tensors is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("id"u8) && !seenId)
            {
                seenId = true;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                id = reader.GetString();
            }
            else if (!SkippedParameters(ref reader, ref seenParameters))
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? (tensors, id) : null;
    }

    private static List<RawTensor>? ReadTensors(ref Utf8JsonReader reader)
    {
        var tensors = new List<RawTensor>(4);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (ReadTensor(ref reader) is not { } tensor)
            {
                return null;
            }

            tensors.Add(tensor);
        }

        return reader.TokenType == JsonTokenType.EndArray && tensors.Count > 0 ? tensors : null;
    }

    private static RawTensor? ReadTensor(ref Utf8JsonReader reader)
    {
        string? name = null;
        long[]? shape = null;
        List<double>? data = null;
        var (datatype, seenParameters) = (false, false);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8) && name is null)
            {
                name = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (name is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("shape"u8) && shape is null)
            {
                if ((shape = ReadShape(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("datatype"u8) && !datatype)
            {
                // The types whose values are any finite number; the others need their own checks.
                datatype = reader.Read() && reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("FP64"u8) || reader.ValueTextEquals("FP32"u8));
                if (!datatype)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("data"u8) && data is null)
            {
                if ((data = ReadNumbers(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (!SkippedParameters(ref reader, ref seenParameters))
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && name is not null && shape is not null && datatype && data is not null
            ? new RawTensor(name, shape, data)
            : null;
    }

    /// <summary>Skips the value of a first <c>parameters</c> key (ignored, as the full decoder ignores it); false for any other key.</summary>
    private static bool SkippedParameters(ref Utf8JsonReader reader, ref bool seen)
    {
        if (seen || !reader.ValueTextEquals("parameters"u8))
        {
            return false;
        }

        seen = true;
        reader.Read();
        reader.Skip();
        return true;
    }

    private static long[]? ReadShape(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var dimensions = new List<long>(2);
        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt64(out var size) || size < 0)
            {
                return null;
            }

            dimensions.Add(size);
        }

        return reader.TokenType == JsonTokenType.EndArray && dimensions.Count is 1 or 2 ? [.. dimensions] : null;
    }

    private static List<double>? ReadNumbers(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var values = new List<double>(32);
        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return null;
            }

            values.Add(value);
        }

        return reader.TokenType == JsonTokenType.EndArray ? values : null;
    }

    /// <summary>The table, when the tensors fit the model exactly as the full decoder would take them; else null.</summary>
    private static Table? Build(RowsDecoder decoder, List<RawTensor> tensors)
    {
        var layout = decoder.Layout;
        var width = layout.Inputs.Length;
        var only = tensors[0];
        if (tensors.Count == 1 && only.Shape.Length == 2 && layout.IndexOf(only.Name) < 0)
        {
            var rows = only.Shape[0];
            if (only.Shape[1] != width || !Fits(decoder, rows) || only.Data.Count != rows * width)
            {
                return null;
            }

            var matrix = new TableBuilder(layout, decoder.Policy, (int)rows);
            for (var i = 0; i < only.Data.Count; i++)
            {
                matrix.SetNumber(i % width, i / width, only.Data[i]);
            }

            return matrix.Build();
        }

        if (tensors.Count != width)
        {
            return null;
        }

        var count = only.Shape[0];
        var byInput = new RawTensor?[width];
        foreach (var tensor in tensors)
        {
            var input = layout.IndexOf(tensor.Name);
            if (input < 0 || byInput[input] is not null || tensor.Shape[0] != count || (tensor.Shape.Length == 2 && tensor.Shape[1] != 1) || tensor.Data.Count != count)
            {
                return null;
            }

            byInput[input] = tensor;
        }

        if (!Fits(decoder, count))
        {
            return null;
        }

        var builder = new TableBuilder(layout, decoder.Policy, (int)count);
        for (var c = 0; c < width; c++)
        {
            var data = byInput[c]!.Data;
            for (var r = 0; r < data.Count; r++)
            {
                builder.SetNumber(c, r, data[r]);
            }
        }

        return builder.Build();
    }

    private static bool Fits(RowsDecoder decoder, long rows) => rows > 0 && rows <= decoder.Policy.MaxRows;

    private sealed record RawTensor(string Name, long[] Shape, List<double> Data);
}
