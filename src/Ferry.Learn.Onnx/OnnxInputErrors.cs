using Ferry.Learn.Features;

namespace Ferry.Learn.Onnx;

/// <summary>
/// The INPUT_INVALID errors only ONNX inputs raise (typed tensors: no missing values, whole numbers, booleans), in
/// the form of <see cref="InputErrors"/>.
/// </summary>
internal static class OnnxInputErrors
{
    public static FerryException Missing(string column, int row, string type) =>
        InputErrors.At(column, row, $"column '{column}' is empty in row {row + 1}, and the model's input '{column}' ({type}) cannot take a missing value; fill it in");

    public static FerryException NotWhole(string column, int row, double value, string type) =>
        InputErrors.At(column, row, $"column '{column}' must hold whole numbers (the model's input is {type}), but row {row + 1} holds {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");

    public static FerryException NotABoolean(string column, int row, string value) =>
        InputErrors.At(column, row, $"column '{column}' must hold true/false (or 1/0), but row {row + 1} holds '{InputErrors.Shorten(value)}'");
}
