using System.Text.Json;
using Ferry.Data.Schema;

namespace Ferry.Serving.Protocols;

/// <summary>What kind of JSON values a tensor datatype holds.</summary>
internal enum TensorValues
{
    /// <summary>Strings (BYTES).</summary>
    Text,

    /// <summary>true/false (BOOL).</summary>
    Truth,

    /// <summary>Whole numbers of at least 0 (UINT*).</summary>
    Natural,

    /// <summary>Whole numbers (INT*).</summary>
    Whole,

    /// <summary>Any number (FP*, BF16).</summary>
    Real,
}

/// <summary>The Open Inference Protocol's tensor datatypes and which inputs and JSON values each fits.</summary>
internal static class TensorTypes
{
    public const string Bytes = "BYTES";
    public const string Bool = "BOOL";
    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";

    private static readonly string[] Known =
        [Bool, "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", Fp32, Fp64, "BF16", Bytes];

    private static readonly byte[][] KnownUtf8 = [.. Known.Select(System.Text.Encoding.UTF8.GetBytes)];

    public static string KnownList => string.Join(", ", Known);

    /// <summary>The known datatype <paramref name="value"/> spells (as a shared string, so no allocation), or null.</summary>
    public static string? Find(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // Compared as UTF-8: ValueEquals(string) transcodes the name on every call, on every tensor of every request.
            for (var i = 0; i < Known.Length; i++)
            {
                if (value.ValueEquals(KnownUtf8[i]))
                {
                    return Known[i];
                }
            }
        }

        return null;
    }

    public static TensorValues ValuesOf(string datatype) => datatype switch
    {
        Bytes => TensorValues.Text,
        Bool => TensorValues.Truth,
        _ when datatype.StartsWith("UINT", StringComparison.Ordinal) => TensorValues.Natural,
        _ when datatype.StartsWith("INT", StringComparison.Ordinal) => TensorValues.Whole,
        _ => TensorValues.Real,
    };

    /// <summary>The datatype advertised for an input in model metadata.</summary>
    public static string For(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => Fp64,
        ColumnKind.Boolean => Bool,
        _ => Bytes,
    };

    /// <summary>Whether a tensor holding <paramref name="values"/> can carry an input of <paramref name="kind"/>.</summary>
    public static bool Fits(TensorValues values, ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => IsNumber(values),
        ColumnKind.Categorical or ColumnKind.Boolean => true,
        _ => values == TensorValues.Text,
    };

    /// <summary>What to send instead, for messages.</summary>
    public static string Suggested(ColumnKind kind) => kind switch
    {
        ColumnKind.Numeric => "FP64, FP32 or an INT type",
        ColumnKind.Boolean => "BOOL or BYTES",
        _ => "BYTES (strings)",
    };

    public static bool IsNumber(TensorValues values) => values >= TensorValues.Natural;

    /// <summary>What an element of <paramref name="tensor"/> must be, or null when <paramref name="value"/> fits (null always fits: missing).</summary>
    public static string? Misfit(Tensor tensor, JsonElement value)
    {
        var kind = value.ValueKind;
        var fits = kind == JsonValueKind.Null || tensor.Values switch
        {
            TensorValues.Text => kind == JsonValueKind.String,
            TensorValues.Truth => kind is JsonValueKind.True or JsonValueKind.False,
            TensorValues.Natural => kind == JsonValueKind.Number && value.TryGetUInt64(out _),
            TensorValues.Whole => kind == JsonValueKind.Number && value.TryGetInt64(out _),

            // JSON cannot hold NaN or Infinity; the spelling responses use for them is taken back as missing.
            _ => kind == JsonValueKind.Number || (kind == JsonValueKind.String && IsNonFinite(value)),
        };
        return fits ? null : tensor.Values switch
        {
            TensorValues.Text => "a string (datatype BYTES)",
            TensorValues.Truth => "true or false (datatype BOOL)",
            TensorValues.Natural => $"a whole number of at least 0 (datatype {tensor.Datatype})",
            TensorValues.Whole => $"a whole number (datatype {tensor.Datatype})",
            _ => $"a number (datatype {tensor.Datatype})",
        };
    }

    private static bool IsNonFinite(JsonElement value) =>
        value.ValueEquals("NaN"u8) || value.ValueEquals("Infinity"u8) || value.ValueEquals("-Infinity"u8);
}
