namespace Ferry.Learn.Features;

/// <summary>The INPUT_INVALID errors a featurizer raises for data that does not fit what it was trained on.</summary>
internal static class InputErrors
{
    /// <summary>The code for input that does not fit the model's signature.</summary>
    public const string Code = "INPUT_INVALID";

    /// <summary>Input columns the model needs are absent.</summary>
    public static FerryException MissingColumns(IReadOnlyList<string> names) =>
        FerryException.Invalid(
            Code,
            names.Count == 1
                ? $"the input has no column '{names[0]}', which the model needs; add it (empty values are allowed)"
                : $"the input lacks columns the model needs: {string.Join(", ", names.Select(n => $"'{n}'"))}; add them (empty values are allowed)",
            new SourceLocation("input", Column: names[0]));

    /// <summary>A value that should be a number is not.</summary>
    public static FerryException NotANumber(string column, int row, string value) =>
        FerryException.Invalid(
            Code,
            $"column '{column}' must hold numbers, but row {row + 1} holds '{Shorten(value)}'; fix the value or leave it empty for missing",
            new SourceLocation("input", row + 1, column));

    /// <summary>A column whose storage the encoder cannot read.</summary>
    public static FerryException Unreadable(string column, string expected) =>
        FerryException.Invalid(Code, $"column '{column}' cannot be read as {expected}", new SourceLocation("input", Column: column));

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
