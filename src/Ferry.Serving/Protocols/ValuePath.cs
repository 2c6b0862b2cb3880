using System.Globalization;

namespace Ferry.Serving.Protocols;

/// <summary>How a value's place in the request is written in messages.</summary>
internal enum PathStyle
{
    /// <summary>Row objects: <c>instances[3].age</c>.</summary>
    Record,

    /// <summary>Columns of values: <c>inputs.age[3]</c>.</summary>
    Columnar,

    /// <summary>A split data frame: <c>dataframe_split.data[3][1] (column 'age')</c>.</summary>
    Split,

    /// <summary>A tensor's data: <c>inputs[1].data[7] (row 3, column 'age')</c>, the tensor's position in <see cref="ValuePath.Container"/>.</summary>
    Tensor,
}

/// <summary>
/// Where a value sits in the request, kept as parts and only formatted when a message needs it, so valid rows cost
/// no strings.
/// </summary>
/// <param name="Style">How to write it.</param>
/// <param name="Prefix">The path of the container (<c>instances</c>, <c>inputs[1]</c>...).</param>
/// <param name="Field">The input (column) the value is for.</param>
/// <param name="Row">The 0-based row.</param>
/// <param name="Index">The position inside the container where it differs from the row (a split row's column, a tensor's flat index).</param>
/// <param name="Container">The tensor's position in <c>inputs</c> (tensor style only).</param>
internal readonly record struct ValuePath(PathStyle Style, string Prefix, string Field, int Row, int Index = 0, int Container = 0)
{
    /// <inheritdoc />
    public override string ToString() => Style switch
    {
        PathStyle.Record => $"{Prefix}[{N(Row)}]{Member(Field)}",
        PathStyle.Columnar => $"{Prefix}{Member(Field)}[{N(Row)}]",
        PathStyle.Split => $"{Prefix}[{N(Row)}][{N(Index)}] (column '{Field}')",
        _ => $"{Prefix}[{N(Container)}].data[{N(Index)}] (row {N(Row)}, column '{Field}')",
    };

    /// <summary><c>.name</c> for plain names, <c>["odd name"]</c> otherwise.</summary>
    public static string Member(string name)
    {
        var plain = name.Length > 0 && !char.IsDigit(name[0]);
        foreach (var c in name)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return plain ? "." + name : $"[\"{name}\"]";
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
