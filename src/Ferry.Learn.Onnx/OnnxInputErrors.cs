namespace Ferry.Learn.Onnx;

/// <summary>
/// The INPUT_INVALID errors for rows that do not fit an ONNX model's inputs, in the featurizer's form: the location
/// file is <c>input</c> and its line the 1-based row of the batch, so a caller scoring a file can name the file's row.
/// </summary>
internal static class OnnxInputErrors
{
    public const string Code = "INPUT_INVALID";

    public static FerryException MissingColumns(IReadOnlyList<string> names) =>
        FerryException.Invalid(
            Code,
            names.Count == 1
                ? $"the input has no column '{names[0]}', which the model needs; add it"
                : $"the input lacks columns the model needs: {string.Join(", ", names.Select(n => $"'{n}'"))}; add them",
            new SourceLocation("input", Column: names[0]));

    public static FerryException NotANumber(string column, int row, string value) =>
        At(column, row, $"column '{column}' must hold numbers, but row {row + 1} holds '{Shorten(value)}'; fix the value or leave it empty for missing");

    public static FerryException Missing(string column, int row, string type) =>
        At(column, row, $"column '{column}' is empty in row {row + 1}, and the model's input '{column}' ({type}) cannot take a missing value; fill it in");

    public static FerryException NotWhole(string column, int row, double value, string type) =>
        At(column, row, $"column '{column}' must hold whole numbers (the model's input is {type}), but row {row + 1} holds {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");

    public static FerryException NotABoolean(string column, int row, string value) =>
        At(column, row, $"column '{column}' must hold true/false (or 1/0), but row {row + 1} holds '{Shorten(value)}'");

    /// <summary>A row the model returned no usable result for.</summary>
    public static FerryException At(string? column, int row, string message) =>
        FerryException.Invalid(Code, message, new SourceLocation("input", row + 1, column));

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
