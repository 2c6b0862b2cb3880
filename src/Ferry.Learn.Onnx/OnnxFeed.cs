using System.Globalization;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Learn.Onnx;

/// <summary>
/// One graph input filled from table columns, converted once for the whole batch; <see cref="Slice"/> hands ONNX
/// Runtime a view of some rows without copying (strings excepted, which ONNX Runtime copies in).
/// </summary>
internal abstract class OnnxFeed
{
    protected OnnxFeed(OnnxPort port, int width)
    {
        Port = port;
        Width = width;
    }

    /// <summary>The graph input.</summary>
    public OnnxPort Port { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>A tensor of rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>; the caller disposes it.</summary>
    public abstract OrtValue Slice(int start, int count);

    /// <summary>Builds the feed for <paramref name="port"/> from <paramref name="columns"/> (one for a per-column input, F for a matrix).</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the column and row of a value the input cannot take.</exception>
    public static OnnxFeed Build(Table table, OnnxPort port, IReadOnlyList<string> columns)
    {
        var rows = table.RowCount;
        var width = columns.Count;
        switch (port.Element)
        {
            case TensorElementType.Float:
                {
                    var data = new float[checked(rows * width)];
                    for (var c = 0; c < width; c++)
                    {
                        var numbers = Numbers(table[columns[c]]);
                        for (var r = 0; r < rows; r++)
                        {
                            data[r * width + c] = (float)numbers[r];
                        }
                    }

                    return new NumberFeed<float>(port, width, data);
                }

            case TensorElementType.Double:
                {
                    var data = new double[checked(rows * width)];
                    for (var c = 0; c < width; c++)
                    {
                        var numbers = Numbers(table[columns[c]]);
                        for (var r = 0; r < rows; r++)
                        {
                            data[r * width + c] = numbers[r];
                        }
                    }

                    return new NumberFeed<double>(port, width, data);
                }

            case TensorElementType.Int64:
                return new NumberFeed<long>(port, 1, [.. Whole(table[columns[0]], port).Select(v => (long)v)]);
            case TensorElementType.Int32:
                return new NumberFeed<int>(port, 1, [.. Whole(table[columns[0]], port).Select(v => (int)v)]);
            case TensorElementType.Bool:
                return new NumberFeed<bool>(port, 1, Booleans(table[columns[0]], port));
            case TensorElementType.String:
                {
                    var column = table[columns[0]];
                    var texts = new string[rows];
                    for (var r = 0; r < rows; r++)
                    {
                        // A missing category is the empty string, which ONNX-ML encoders treat as one more unseen value.
                        texts[r] = column.GetText(r) ?? "";
                    }

                    return new TextFeed(port, texts);
                }

            default:
                throw new InvalidOperationException($"input '{port.Name}' of type {port.Describe()} passed the import checks");
        }
    }

    /// <summary>The column as numbers, NaN where missing; text is parsed in the invariant culture.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the first row whose text is not a number.</exception>
    internal static double[] Numbers(Column column)
    {
        if (column is NumericColumn numeric)
        {
            return numeric.Values.ToArray();
        }

        var values = new double[column.Length];
        var text = column as StringColumn;
        var parsed = text is null ? null : new double?[text.Dictionary.Count];
        for (var r = 0; r < values.Length; r++)
        {
            if (text is not null)
            {
                var code = text.Codes[r];
                if (code == StringColumn.MissingCode)
                {
                    values[r] = double.NaN;
                    continue;
                }

                values[r] = parsed![code] ??= Parse(column.Name, r, text.Dictionary[code]);
                continue;
            }

            values[r] = column.GetText(r) is { } value ? Parse(column.Name, r, value) : double.NaN;
        }

        return values;
    }

    private static double Parse(string column, int row, string value) =>
        string.IsNullOrWhiteSpace(value) ? double.NaN
        : double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : throw InputErrors.NotANumber(column, row, value);

    private static double[] Whole(Column column, OnnxPort port)
    {
        var numbers = Numbers(column);
        var type = OnnxPort.TypeName(port.Element);
        var (low, high) = port.Element == TensorElementType.Int32 ? ((double)int.MinValue, (double)int.MaxValue) : (-9.2e18, 9.2e18);
        for (var r = 0; r < numbers.Length; r++)
        {
            if (double.IsNaN(numbers[r]))
            {
                throw OnnxInputErrors.Missing(column.Name, r, type);
            }

            if (Math.Floor(numbers[r]) != numbers[r] || numbers[r] < low || numbers[r] > high)
            {
                throw OnnxInputErrors.NotWhole(column.Name, r, numbers[r], type);
            }
        }

        return numbers;
    }

    private static bool[] Booleans(Column column, OnnxPort port)
    {
        var values = new bool[column.Length];
        for (var r = 0; r < values.Length; r++)
        {
            values[r] = column.GetText(r)?.Trim().ToLowerInvariant() switch
            {
                null => throw OnnxInputErrors.Missing(column.Name, r, OnnxPort.TypeName(port.Element)),
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                var other => throw OnnxInputErrors.NotABoolean(column.Name, r, other),
            };
        }

        return values;
    }

    private long[] Shape(int count) => Port.Rank == 1 ? [count] : [count, Width];

    private sealed class NumberFeed<T>(OnnxPort port, int width, T[] data) : OnnxFeed(port, width)
        where T : unmanaged
    {
        public override OrtValue Slice(int start, int count) =>
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(start * Width, count * Width), Shape(count));
    }

    private sealed class TextFeed(OnnxPort port, string[] data) : OnnxFeed(port, 1)
    {
        public override OrtValue Slice(int start, int count)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, Shape(count));
            try
            {
                for (var i = 0; i < count; i++)
                {
                    value.StringTensorSetElementAt(data[start + i].AsSpan(), i);
                }

                return value;
            }
            catch
            {
                value.Dispose();
                throw;
            }
        }
    }
}
