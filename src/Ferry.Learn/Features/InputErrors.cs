namespace Ferry.Learn.Features;

/// <summary>
/// The INPUT_INVALID errors every runtime raises for rows that do not fit a model's signature. The location's file
/// is <c>input</c> and its line the 1-based row of the batch, so a caller scoring a file can restate the file's row.
/// </summary>
public static class InputErrors
{
    /// <summary>The code for input that does not fit the model's signature.</summary>
    public const string Code = "INPUT_INVALID";

    /// <summary>Input columns the model needs are absent.</summary>
    /// <param name="names">The missing columns.</param>
    /// <param name="emptyAllowed">Whether the model takes empty values (say so, since a column of blanks would do).</param>
    public static FerryException MissingColumns(IReadOnlyList<string> names, bool emptyAllowed = true)
    {
        ArgumentNullException.ThrowIfNull(names);
        var hint = emptyAllowed ? " (empty values are allowed)" : "";
        return FerryException.Invalid(
            Code,
            names.Count == 1
                ? $"the input has no column '{names[0]}', which the model needs; add it{hint}"
                : $"the input lacks columns the model needs: {string.Join(", ", names.Select(n => $"'{n}'"))}; add them{hint}",
            new SourceLocation("input", Column: names[0]));
    }

    /// <summary>A value that should be a number is not.</summary>
    public static FerryException NotANumber(string column, int row, string value) =>
        At(column, row, $"column '{column}' must hold numbers, but row {row + 1} holds '{Shorten(value)}'; fix the value or leave it empty for missing");

    /// <summary>A column whose storage the encoder cannot read.</summary>
    public static FerryException Unreadable(string column, string expected) =>
        FerryException.Invalid(Code, $"column '{column}' cannot be read as {expected}", new SourceLocation("input", Column: column));

    /// <summary>A problem with one row (0-based <paramref name="row"/>) and, where known, one column.</summary>
    public static FerryException At(string? column, int row, string message) =>
        FerryException.Invalid(Code, message, new SourceLocation("input", row + 1, column));

    /// <summary>A value cut to 40 characters for a message.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 40 ? value : value[..40] + "...";
    }
}
