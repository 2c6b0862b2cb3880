using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ferry.Tracking;

/// <summary>
/// JSON as MLflow's Python code writes it into tag values (<c>json.dumps</c> with its defaults: ", " and ": " separators,
/// non-ASCII characters escaped), so values Ferry writes where MLflow's server would are the same bytes.
/// </summary>
public static class MlflowJson
{
    /// <summary>A JSON value as <c>json.dumps</c> writes it by default.</summary>
    /// <param name="element">The value; numbers are written as they were read.</param>
    public static string Dumps(JsonElement element)
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

    /// <summary>A string as a quoted JSON string in <c>json.dumps</c>'s escaping.</summary>
    /// <param name="text">The string.</param>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        WriteString(builder, text);
        return builder.ToString();
    }

    /// <summary>Writes a string with <c>ensure_ascii</c> escaping: everything outside printable ASCII becomes <c>\uXXXX</c>.</summary>
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
