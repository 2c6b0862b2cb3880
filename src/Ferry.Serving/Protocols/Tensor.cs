using System.Globalization;
using System.Text.Json;

namespace Ferry.Serving.Protocols;

/// <summary>One input tensor of an Open Inference request, its header checked; its data is read later.</summary>
/// <param name="Position">Its position in <c>inputs</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Shape">Its dimensions, batch first.</param>
/// <param name="Datatype">Its datatype (FP64, BYTES...), one of <see cref="TensorTypes"/>' own strings.</param>
/// <param name="Data">Its values, flat or nested, row-major.</param>
internal sealed record Tensor(int Position, string Name, long[] Shape, string Datatype, JsonElement Data)
{
    /// <summary>Its JSON path, <c>inputs[1]</c>.</summary>
    public string Path => PathOf(Position);

    /// <summary>The path with the name, for messages: <c>inputs[1] ('age')</c>.</summary>
    public string Named => $"{Path} ('{Name}')";

    /// <summary>The shape as written: <c>[3, 1]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>What kind of values its datatype holds.</summary>
    public TensorValues Values { get; } = TensorTypes.ValuesOf(Datatype);

    /// <summary>Reads the header of <c>inputs[position]</c>.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the tensor and the field that is absent or malformed.</exception>
    public static Tensor Parse(JsonElement input, int position)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolErrors.Request($"{PathOf(position)} must be a tensor {{\"name\", \"shape\", \"datatype\", \"data\"}}, got {ProtocolErrors.Shown(input)}");
        }

        if (!input.TryGetProperty("name"u8, out var nameValue) || nameValue.ValueKind != JsonValueKind.String)
        {
            throw ProtocolErrors.Request($"{PathOf(position)}.name must be the input's name (a string)");
        }

        var name = nameValue.GetString()!;
        var shape = ParseShape(input, position, name);
        var datatype = input.TryGetProperty("datatype"u8, out var typeValue) ? TensorTypes.Find(typeValue) : null;
        if (datatype is null)
        {
            throw ProtocolErrors.Request($"{NamedAt(position, name)}.datatype must be one of {TensorTypes.KnownList}", name);
        }

        if (!input.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolErrors.Request($"{NamedAt(position, name)}.data must be a list of values, flat or nested in the tensor's shape (binary tensor data is not supported)", name);
        }

        return new Tensor(position, name, shape, datatype, data);
    }

    private static string PathOf(int position) => $"inputs[{position.ToString(CultureInfo.InvariantCulture)}]";

    private static string NamedAt(int position, string name) => $"{PathOf(position)} ('{name}')";

    private static long[] ParseShape(JsonElement input, int position, string name)
    {
        if (!input.TryGetProperty("shape"u8, out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array || shapeValue.GetArrayLength() == 0)
        {
            throw ProtocolErrors.Request($"{NamedAt(position, name)}.shape must be a list of dimensions, batch first, for example [3] or [3, 1]", name);
        }

        var shape = new long[shapeValue.GetArrayLength()];
        var d = 0;
        foreach (var dimension in shapeValue.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out var size) || size < 0)
            {
                throw ProtocolErrors.Request($"{NamedAt(position, name)}.shape[{d}] must be a whole number of at least 0, got {ProtocolErrors.Shown(dimension)}", name);
            }

            shape[d++] = size;
        }

        return shape;
    }
}
