using System.Globalization;
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
                        return MlflowJson.Dumps(list.RootElement);
                    }

                    entries.Add(MlflowJson.Dumps(entry));
                }
            }
        }

        entries.Add($"{{\"name\": {MlflowJson.Quote(name)}, \"version\": {version.ToString(CultureInfo.InvariantCulture)}}}");
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
}
