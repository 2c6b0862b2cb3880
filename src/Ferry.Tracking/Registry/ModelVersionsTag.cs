using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ferry.Tracking.Registry;

/// <summary>
/// The <c>mlflow.modelVersions</c> tag MLflow 3 keeps on a logged model: the registered versions made from it, as the
/// JSON Python's <c>json.dumps</c> writes (<c>[{"name": "lr-model", "version": 1}]</c>: ", " and ": " separators, the
/// version a number, non-ASCII escaped), so MLflow clients that read and extend it see the bytes MLflow's server writes.
/// </summary>
internal static class ModelVersionsTag
{
    /// <summary>The tag key.</summary>
    public const string Key = "mlflow.modelVersions";

    /// <summary>
    /// The tag value with the version appended. Entries already there are kept in order (rewritten in Python's layout);
    /// a version already listed is not listed twice; a value that is not a JSON list is replaced by a new list.
    /// </summary>
    public static string Append(string? existing, string name, int version)
    {
        var entries = new List<string>();
        if (TryParseList(existing) is { } list)
        {
            using (list)
            {
                foreach (var entry in list.RootElement.EnumerateArray())
                {
                    if (IsVersion(entry, name, version))
                    {
                        return Dumps(list.RootElement);
                    }

                    entries.Add(Dumps(entry));
                }
            }
        }

        var builder = new StringBuilder("{\"name\": ");
        WriteString(builder, name);
        builder.Append(", \"version\": ").Append(version.ToString(CultureInfo.InvariantCulture)).Append('}');
        entries.Add(builder.ToString());
        return "[" + string.Join(", ", entries) + "]";
    }

    private static JsonDocument? TryParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // A tag someone overwrote with something else: start a new list rather than refuse the registration.
        }

        return null;
    }

    /// <summary>Python's dict equality with <c>{"name": name, "version": version}</c>: the string "1" is not the number 1.</summary>
    private static bool IsVersion(JsonElement entry, string name, int version)
    {
        if (entry.ValueKind != JsonValueKind.Object || entry.EnumerateObject().Count() != 2)
        {
            return false;
        }

        return entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == name
            && entry.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == version;
    }

    /// <summary>A JSON value in <c>json.dumps</c>'s default layout.</summary>
    internal static string Dumps(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var firstProperty = true;
                foreach (var property in element.EnumerateObject())
                {
                    builder.Append(firstProperty ? "" : ", ");
                    firstProperty = false;
                    WriteString(builder, property.Name);
                    builder.Append(": ");
                    Write(builder, property.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(firstItem ? "" : ", ");
                    firstItem = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            default:
                // Numbers as written; true, false and null are spelled the same in both.
                builder.Append(element.GetRawText());
                break;
        }
    }

    /// <summary>A string as <c>json.dumps</c> writes it with <c>ensure_ascii</c>: everything outside printable ASCII escaped.</summary>
    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ' or > '~': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
