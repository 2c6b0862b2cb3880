using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Tracking;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Wire;

/// <summary>
/// One request message as MLflow's client sends it, whether it came as a GET query string (every value a string,
/// repeated keys for lists) or a POST JSON body (proto snake_case). Accessors coerce the way MLflow's server does:
/// int64 and doubles from numbers or strings, a lone value where a list is expected. Null counts as absent.
/// </summary>
internal sealed class WireMessage
{
    private readonly JsonObject _fields;
    private readonly string _prefix;

    private WireMessage(JsonObject fields, string prefix)
    {
        _fields = fields;
        _prefix = prefix;
    }

    public static WireMessage FromQuery(IQueryCollection query)
    {
        var fields = new JsonObject();
        foreach (var (key, values) in query)
        {
            fields[key] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        return new WireMessage(fields, "");
    }

    public static WireMessage FromJson(JsonNode? node) => node switch
    {
        null => new WireMessage([], ""),
        JsonObject o => new WireMessage(o, ""),
        _ => throw WireErrors.Invalid("the request body must be a JSON object"),
    };

    public bool Has(string name) => _fields[name] is not null;

    public string? String(string name) => _fields[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => throw BadType(name, "a string"),
    };

    public string RequiredString(string name) => String(name) ?? throw Missing(name);

    public long? Int64(string name)
    {
        var node = _fields[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out var number))
            {
                return number;
            }

            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var plain))
            {
                return plain;
            }

            if (v.GetValueKind() == JsonValueKind.String
                && long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        throw BadType(name, "an integer");
    }

    public long RequiredInt64(string name) => Int64(name) ?? throw Missing(name);

    public double? Double(string name)
    {
        var node = _fields[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<JsonElement>(out var element) && element.TryGetDouble(out var number))
            {
                return number;
            }

            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var plain))
            {
                return plain;
            }

            // Protobuf's JSON form (what MLflow's client sends) writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
            if (v.GetValueKind() == JsonValueKind.String && ParseDouble(v.GetValue<string>()) is { } parsed)
            {
                return parsed;
            }
        }

        throw BadType(name, "a number");
    }

    public double RequiredDouble(string name) => Double(name) ?? throw Missing(name);

    public bool? Bool(string name) => _fields[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => throw BadType(name, "true or false"),
    };

    /// <summary>A repeated string field; a lone value (one query key) is a list of one.</summary>
    public IReadOnlyList<string> Strings(string name) => _fields[name] switch
    {
        null => [],
        JsonArray array => array.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : item is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.ToJsonString() : throw BadType($"{name}[{i}]", "a string")).ToList(),
        JsonValue => [String(name)!],
        _ => throw BadType(name, "a list of strings"),
    };

    /// <summary>A repeated message field, each element a message of its own.</summary>
    public IReadOnlyList<WireMessage> Messages(string name) => _fields[name] switch
    {
        null => [],
        JsonArray array => array.Select((item, i) => item is JsonObject o
            ? new WireMessage(o, $"{_prefix}{name}[{i}].")
            : throw BadType($"{name}[{i}]", "an object")).ToList(),
        _ => throw BadType(name, "a list of objects"),
    };

    /// <summary>A nested message field, or null when absent.</summary>
    public WireMessage? Message(string name) => _fields[name] switch
    {
        null => null,
        JsonObject o => new WireMessage(o, $"{_prefix}{name}."),
        _ => throw BadType(name, "an object"),
    };

    public TEnum? Enum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> names)
        where TEnum : struct
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        return names.TryGetValue(text, out var value)
            ? value
            : throw WireErrors.Invalid($"Invalid value '{text}' for parameter '{_prefix}{name}': use one of {string.Join(", ", names.Keys)}");
    }

    internal static double? ParseDouble(string text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" or "+Infinity" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
    };

    private FerryException Missing(string name) =>
        WireErrors.Invalid($"Missing value for required parameter '{_prefix}{name}'");

    private FerryException BadType(string name, string expected) =>
        WireErrors.Invalid($"Invalid value {Describe(_fields[name])} for parameter '{_prefix}{name}': expected {expected}");

    private static string Describe(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 60 ? text : text[..60] + "…";
    }
}
