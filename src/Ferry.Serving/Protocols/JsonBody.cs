using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Ferry.Serving.Protocols;

/// <summary>Reading request bodies and writing responses, shared by the codecs.</summary>
internal static class JsonBody
{
    /// <summary>Parses a UTF-8 body; the caller disposes the document once decoded (decoded tables hold no reference to it).</summary>
    /// <exception cref="FerryException">INPUT_INVALID when the body is not JSON.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            throw ProtocolErrors.NotJson(e);
        }
    }

    /// <summary>Refuses a body that is not an object, or has a key outside <paramref name="allowed"/>.</summary>
    public static void CheckKeys(JsonElement body, string[] allowed, string described)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolErrors.Request($"the request body must be a JSON object with {described}; got {ProtocolErrors.Shown(body)}");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw ProtocolErrors.UnknownKey(property.Name, described);
            }
        }
    }

    /// <summary>Writes a response into a new array (for callers without a writer of their own).</summary>
    public static byte[] ToBytes<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A number, or for NaN and the infinities (which JSON cannot hold) the strings "NaN", "Infinity", "-Infinity",
    /// the spelling .NET, Python and JavaScript parse back.
    /// </summary>
    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFinite(value));
        }
    }

    /// <inheritdoc cref="WriteNumber(Utf8JsonWriter, double)"/>
    public static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFinite(value));
        }
    }

    /// <summary>A version number as the protocols carry it: a string.</summary>
    public static string Version(ServableId servable) => servable.Version.ToString(CultureInfo.InvariantCulture);

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}
