using System.Text.Json;
using Ferry.Learn.Features;

namespace Ferry.Serving.Protocols;

/// <summary>
/// The INPUT_INVALID errors of the protocol decoders. Every message starts from the JSON path of the problem
/// (<c>instances[3].age</c>) so a client can find it; the location carries the column and the 1-based row.
/// </summary>
internal static class ProtocolErrors
{
    /// <summary>A problem with the request as a whole or one of its parts, not a row.</summary>
    public static FerryException Request(string message, string? column = null) =>
        FerryException.Invalid(InputErrors.Code, message, new SourceLocation("input", Column: column));

    public static FerryException NotJson(JsonException error) =>
        FerryException.Invalid(InputErrors.Code, $"the request body is not valid JSON: {error.Message}", new SourceLocation("input"), error);

    public static FerryException UnknownKey(string key, string allowed) =>
        Request($"the request has key '{key}', which this endpoint does not take; it takes {allowed}");

    public static FerryException TooManyRows(string path, long rows, int max) =>
        Request($"{path} holds {rows} rows; this server takes at most {max} per request, so split it into smaller requests");

    public static FerryException NoRows(string path) => Request($"{path} holds no rows; send at least one");

    public static FerryException MissingField(string container, int row, string field, string? extra)
    {
        var hint = extra is null ? "" : $" (it has '{extra}', which the model does not read)";
        return InputErrors.At(field, row, $"field '{field}' is missing in {container}{hint}; send null for an unknown value");
    }

    public static FerryException ExtraField(string container, int row, string field, InputLayout layout) =>
        InputErrors.At(field, row, $"{container} has field '{field}', which the model does not read (its inputs: {layout.InputNames}); remove it");

    public static FerryException DuplicateField(string container, int row, string field) =>
        InputErrors.At(field, row, $"{container} has field '{field}' twice; send it once");

    public static FerryException WrongValue(in ValuePath path, string expected, JsonElement got) =>
        InputErrors.At(path.Field, path.Row, $"{path} must be {expected}, got {Shown(got)}");

    public static FerryException MissingNotAllowed(in ValuePath path, string what) =>
        InputErrors.At(path.Field, path.Row, $"{path} is {what}, but this server does not take missing values; send a value");

    public static FerryException UnknownCategory(in ValuePath path, string value, InputSlot slot) =>
        InputErrors.At(
            path.Field,
            path.Row,
            $"{path} is \"{InputErrors.Shorten(value)}\", a category the model never saw in training (known: {InputLayout.Listed(slot.Categories!, 8)}); "
            + "send a known category or null for unknown (a server whose input policy maps unknown categories to missing takes it)");

    /// <summary>A JSON value as a message shows it: short values as written, objects and arrays by their kind.</summary>
    public static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Undefined => "nothing",
        _ => InputErrors.Shorten(value.GetRawText()),
    };
}
