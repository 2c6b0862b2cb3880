using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Serving.Protocols;

/// <summary>
/// Reads an Open Inference request's <c>inputs</c> into a table, in one of two layouts: one tensor per signature
/// input (named after it, shape [N] or [N, 1]), or, for all-numeric models, one [N, F] tensor whose columns are the
/// inputs in signature order. Data may be flat or nested; its length must match the shape.
/// </summary>
internal static class OpenInferenceTensors
{
    public static Table Decode(RowsDecoder decoder, JsonElement inputs)
    {
        var layout = decoder.Layout;
        layout.EnsureTabular();
        if (inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            throw ProtocolErrors.Request("inputs must be a non-empty list of tensors {\"name\", \"shape\", \"datatype\", \"data\"}");
        }

        var tensors = new Tensor[inputs.GetArrayLength()];
        var i = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            tensors[i] = Tensor.Parse(input, i);
            i++;
        }

        var only = tensors[0];
        return tensors.Length == 1 && only.Shape.Length == 2 && layout.IndexOf(only.Name) < 0
            ? DecodeMatrix(decoder, only)
            : DecodePerInput(decoder, tensors);
    }

    private static Table DecodeMatrix(RowsDecoder decoder, Tensor tensor)
    {
        var layout = decoder.Layout;
        var width = layout.Inputs.Length;
        if (!layout.AllNumeric)
        {
            var other = Array.Find(layout.Inputs, s => s.Kind != ColumnKind.Numeric)!;
            throw ProtocolErrors.Request(
                $"{tensor.Named} is one [N, F] tensor, which only fits models whose inputs are all numeric, and input '{other.Name}' is {other.Kind.ToString().ToLowerInvariant()}; "
                + $"send one tensor per input, named after it ({layout.InputNames})", tensor.Name);
        }

        if (tensor.Shape[1] != width)
        {
            throw ProtocolErrors.Request(
                $"{tensor.Named} has shape {tensor.ShapeText}, but the model reads {width} inputs ({layout.InputNames}); send shape [N, {width}] with columns in that order", tensor.Name);
        }

        if (!TensorTypes.IsNumber(tensor.Values))
        {
            throw ProtocolErrors.Request($"{tensor.Named} has datatype {tensor.Datatype}, but the model's inputs are numeric; send FP64, FP32 or an INT type", tensor.Name);
        }

        var rows = decoder.CheckRows(tensor.Shape[0], tensor.Named);
        var builder = new TableBuilder(layout, decoder.Policy, rows);
        new TensorReader(builder, tensor, width, -1).ReadAll(layout);
        return builder.Build();
    }

    private static Table DecodePerInput(RowsDecoder decoder, Tensor[] tensors)
    {
        var layout = decoder.Layout;
        var byInput = new Tensor?[layout.Inputs.Length];
        string? extra = null;
        foreach (var tensor in tensors)
        {
            var input = layout.IndexOf(tensor.Name);
            if (input < 0)
            {
                extra ??= tensor.Name;
                if (!decoder.Policy.AllowExtraFields)
                {
                    var matrix = layout.AllNumeric ? $", or one [N, {layout.Inputs.Length}] tensor of all inputs in that order" : "";
                    throw ProtocolErrors.Request(
                        $"{tensor.Path} is named '{tensor.Name}', which is not an input of the model (its inputs: {layout.InputNames}); send one tensor per input, named after it{matrix}", tensor.Name);
                }

                continue;
            }

            if (byInput[input] is { } first)
            {
                throw ProtocolErrors.Request($"{tensor.Path} and {first.Path} are both named '{tensor.Name}'; send each input once", tensor.Name);
            }

            byInput[input] = tensor;
        }

        Tensor? reference = null;
        for (var c = 0; c < byInput.Length; c++)
        {
            var slot = layout.Inputs[c];
            var tensor = byInput[c];
            if (tensor is null)
            {
                var hint = extra is null ? "" : $" (it has tensor '{extra}', which the model does not read)";
                throw ProtocolErrors.Request($"the request has no input tensor '{slot.Name}', which the model needs{hint}; send it, with null for unknown values", slot.Name);
            }

            if (tensor.Shape.Length is < 1 or > 2 || (tensor.Shape.Length == 2 && tensor.Shape[1] != 1))
            {
                throw ProtocolErrors.Request($"{tensor.Named} has shape {tensor.ShapeText}; a tensor per input has shape [N] or [N, 1]", slot.Name);
            }

            if (!TensorTypes.Fits(tensor.Values, slot.Kind))
            {
                throw ProtocolErrors.Request(
                    $"{tensor.Named} has datatype {tensor.Datatype}, but input '{slot.Name}' is {slot.Kind.ToString().ToLowerInvariant()}; send {TensorTypes.Suggested(slot.Kind)}", slot.Name);
            }

            reference ??= tensor;
            if (tensor.Shape[0] != reference.Shape[0])
            {
                throw ProtocolErrors.Request(
                    $"{tensor.Named} has {tensor.Shape[0]} rows (shape {tensor.ShapeText}) but {reference.Named} has {reference.Shape[0]}; every input needs one value per row", slot.Name);
            }
        }

        var builder = new TableBuilder(layout, decoder.Policy, decoder.CheckRows(reference!.Shape[0], reference.Named));
        for (var c = 0; c < byInput.Length; c++)
        {
            new TensorReader(builder, byInput[c]!, 1, c).ReadAll(layout);
        }

        return builder.Build();
    }

    /// <summary>Walks a tensor's (possibly nested) data into the builder: flat index i is row i / width, input column (or <c>single</c>).</summary>
    private sealed class TensorReader(TableBuilder builder, Tensor tensor, int width, int single)
    {
        private InputLayout? _layout;
        private int _index;

        public void ReadAll(InputLayout layout)
        {
            var expected = (long)tensor.Shape[0] * width;
            var count = Count(tensor.Data);
            if (count != expected)
            {
                throw ProtocolErrors.Request($"{tensor.Named} has shape {tensor.ShapeText}, which needs {expected} values, but its data holds {count}", tensor.Name);
            }

            _layout = layout;
            Read(tensor.Data);
        }

        private static long Count(JsonElement data)
        {
            if (data.ValueKind != JsonValueKind.Array)
            {
                return 1;
            }

            long count = 0;
            foreach (var item in data.EnumerateArray())
            {
                count += item.ValueKind == JsonValueKind.Array ? Count(item) : 1;
            }

            return count;
        }

        private void Read(JsonElement data)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Array)
                {
                    Read(item);
                    continue;
                }

                var column = single >= 0 ? single : _index % width;
                var path = new ValuePath(PathStyle.Tensor, "inputs", _layout!.Inputs[column].Name, _index / width, _index, tensor.Position);
                if (TensorTypes.Misfit(tensor, item) is { } expected)
                {
                    throw ProtocolErrors.WrongValue(path, expected, item);
                }

                builder.Set(column, item, path);
                _index++;
            }
        }
    }
}
