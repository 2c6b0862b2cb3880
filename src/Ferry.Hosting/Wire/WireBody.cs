using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Wire;

/// <summary>Reads a request's message: the query string for GET, else a size-limited JSON body.</summary>
internal static class WireBody
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    public static async Task<WireMessage> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method))
        {
            return WireMessage.FromQuery(request.Query);
        }

        var bytes = await ReadLimitedAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0 || bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            // An empty body is an empty message; required fields are then reported by name.
            return WireMessage.FromJson(null);
        }

        return WireMessage.FromJson(Parse(bytes));
    }

    private static JsonNode? Parse(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes, documentOptions: ParseOptions);
        }
        catch (JsonException first)
        {
            // Python's json module writes non-finite floats as bare NaN / Infinity tokens; accept them as protobuf's strings.
            var text = Encoding.UTF8.GetString(bytes);
            var quoted = QuoteNonFiniteTokens(text);
            if (!ReferenceEquals(quoted, text))
            {
                try
                {
                    return JsonNode.Parse(quoted, documentOptions: ParseOptions);
                }
                catch (JsonException)
                {
                    // Report the original error below: it points at the client's text.
                }
            }

            throw WireErrors.Invalid($"the request body is not valid JSON ({first.Message}): send a JSON object");
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(), cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(buffer.Length + read, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static FerryException TooLarge(long size, long maxBytes) => WireErrors.Invalid(
        string.Create(CultureInfo.InvariantCulture, $"the request body has at least {size} bytes; the limit is {maxBytes} bytes: send smaller batches"));

    /// <summary>Wraps bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens outside strings in quotes; returns the input itself when it has none.</summary>
    internal static string QuoteNonFiniteTokens(string text)
    {
        StringBuilder? result = null;
        var inString = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            var token = Match(text, i, "-Infinity") ?? Match(text, i, "Infinity") ?? Match(text, i, "NaN");
            if (token is not null)
            {
                result ??= new StringBuilder(text.Length + 16);
                result.Append(text, start, i - start).Append('"').Append(token).Append('"');
                i += token.Length - 1;
                start = i + 1;
            }
        }

        return result is null ? text : result.Append(text, start, text.Length - start).ToString();
    }

    private static string? Match(string text, int at, string token) =>
        string.CompareOrdinal(text, at, token, 0, token.Length) == 0
        && (at + token.Length == text.Length || !char.IsAsciiLetterOrDigit(text[at + token.Length]))
            ? token
            : null;
}
