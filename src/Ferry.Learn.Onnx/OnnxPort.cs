using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Learn.Onnx;

/// <summary>What an ONNX graph input or output holds, in the terms Ferry decides on.</summary>
internal enum OnnxPortKind
{
    /// <summary>A tensor.</summary>
    Tensor,

    /// <summary>A sequence of maps from class label to score (skl2onnx's ZipMap output).</summary>
    SequenceOfMaps,

    /// <summary>Anything else (a sequence of tensors, a bare map, an optional...).</summary>
    Other,
}

/// <summary>
/// One input or output of an ONNX graph: its name, kind, element type and shape (a dimension below 0 is dynamic).
/// For a sequence of maps, <see cref="Element"/> is the map's value type and <see cref="MapKey"/> its key type.
/// </summary>
internal sealed record OnnxPort(
    string Name,
    OnnxPortKind Kind,
    TensorElementType Element,
    IReadOnlyList<long> Dims,
    IReadOnlyList<string> SymbolicDims,
    TensorElementType MapKey = TensorElementType.DataTypeMax,
    string? OtherType = null)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Dims.Count;

    /// <summary>A tensor of floats or doubles.</summary>
    public bool IsFloating => Kind == OnnxPortKind.Tensor && Element is TensorElementType.Float or TensorElementType.Double;

    /// <summary>A tensor with one value per row: [N] or [N, 1].</summary>
    public bool IsOnePerRow => Kind == OnnxPortKind.Tensor && (Rank == 1 || Rank == 2 && Dims[1] == 1);

    /// <summary>A floating tensor [N, C] with C other than 1 (C may be dynamic).</summary>
    public bool IsScoreMatrix => IsFloating && Rank == 2 && Dims[1] != 1;

    /// <summary>Reads a port from ONNX Runtime's metadata.</summary>
    public static OnnxPort From(string name, NodeMetadata meta)
    {
        switch (meta.OnnxValueType)
        {
            case OnnxValueType.ONNX_TYPE_TENSOR:
                return new OnnxPort(name, OnnxPortKind.Tensor, meta.ElementDataType, [.. meta.Dimensions.Select(d => (long)d)], [.. meta.SymbolicDimensions]);
            case OnnxValueType.ONNX_TYPE_SEQUENCE when meta.AsSequenceMetadata().ElementMeta is { OnnxValueType: OnnxValueType.ONNX_TYPE_MAP } element:
                var map = element.AsMapMetadata();
                var value = map.ValueMetadata;
                return value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
                    ? new OnnxPort(name, OnnxPortKind.SequenceOfMaps, value.ElementDataType, [], [], map.KeyDataType)
                    : new OnnxPort(name, OnnxPortKind.Other, TensorElementType.DataTypeMax, [], [], OtherType: "seq(map(...)) of non-tensor values");
            case OnnxValueType.ONNX_TYPE_SEQUENCE:
                return new OnnxPort(name, OnnxPortKind.Other, TensorElementType.DataTypeMax, [], [], OtherType: "a sequence of tensors");
            case OnnxValueType.ONNX_TYPE_MAP:
                return new OnnxPort(name, OnnxPortKind.Other, TensorElementType.DataTypeMax, [], [], OtherType: "a map");
            default:
                return new OnnxPort(name, OnnxPortKind.Other, TensorElementType.DataTypeMax, [], [], OtherType: meta.OnnxValueType.ToString());
        }
    }

    /// <summary>The type and shape as people read them, for example <c>tensor(float) [N, 4]</c> or <c>seq(map(string, float))</c>.</summary>
    public string Describe() => Kind switch
    {
        OnnxPortKind.Tensor => $"tensor({TypeName(Element)}) [{string.Join(", ", Dims.Select(DimName))}]",
        OnnxPortKind.SequenceOfMaps => $"seq(map({TypeName(MapKey)}, {TypeName(Element)}))",
        _ => OtherType ?? "an unknown type",
    };

    /// <summary>ONNX's name of an element type.</summary>
    public static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.String => "string",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };

    private string DimName(long dim, int index)
    {
        if (dim >= 0)
        {
            return dim.ToString(CultureInfo.InvariantCulture);
        }

        return index < SymbolicDims.Count && !string.IsNullOrEmpty(SymbolicDims[index]) ? SymbolicDims[index] : "?";
    }
}
