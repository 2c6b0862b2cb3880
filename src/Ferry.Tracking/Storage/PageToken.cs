using System.Text;
using System.Text.Json;

namespace Ferry.Tracking.Storage;

/// <summary>Page tokens as MLflow makes them: base64 of <c>{"offset": N}</c>. Opaque to clients.</summary>
internal static class PageToken
{
    public static string Encode(long offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"offset": {{offset}}}"""));

    public static long Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(token));
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("offset", out var offset)
                && offset.TryGetInt64(out var value)
                && value >= 0)
            {
                return value;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            // Reported below with the same words as a well-formed token without an offset.
        }

        throw TrackingErrors.Invalid($"page_token '{token}' is not a token this store issued: pass the next_page_token of the previous page, or none for the first page");
    }
}
