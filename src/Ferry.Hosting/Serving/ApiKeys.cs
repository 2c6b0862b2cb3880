using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Serving;

/// <summary>What a serving endpoint needs the caller to be allowed to do.</summary>
internal enum Scope
{
    /// <summary>Anyone (health checks, metrics).</summary>
    Open,

    /// <summary>Predict (an inference or management key).</summary>
    Inference,

    /// <summary>Change what is served or attach feedback (a management key).</summary>
    Management,
}

/// <summary>
/// Optional API keys, sent as <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>. With no keys configured
/// every endpoint is open (the server binds 127.0.0.1 by default); with any, inference needs an inference or
/// management key and management needs a management key. Keys are compared in constant time.
/// </summary>
internal sealed class ApiKeys(ServingOptions options)
{
    private readonly byte[][] _inference = [.. options.InferenceKeys.Select(k => Encoding.UTF8.GetBytes(k))];
    private readonly byte[][] _management = [.. options.ManagementKeys.Select(k => Encoding.UTF8.GetBytes(k))];

    /// <summary>Null when allowed, else the status (401 no key, 403 wrong scope) and a message.</summary>
    public (int Status, string Message)? Check(HttpRequest request, Scope scope)
    {
        if (scope == Scope.Open || (_inference.Length == 0 && _management.Length == 0))
        {
            return null;
        }

        var key = Key(request);
        if (key is null)
        {
            return (StatusCodes.Status401Unauthorized, "this server needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`");
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        if (Matches(_management, bytes) || (scope == Scope.Inference && Matches(_inference, bytes)))
        {
            return null;
        }

        return Matches(_inference, bytes)
            ? (StatusCodes.Status403Forbidden, "this key may call inference endpoints only; this endpoint needs a management key")
            : (StatusCodes.Status401Unauthorized, "the API key is not valid");
    }

    private static string? Key(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-API-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    private static bool Matches(byte[][] keys, byte[] key)
    {
        var found = false;
        foreach (var candidate in keys)
        {
            found |= candidate.Length == key.Length && CryptographicOperations.FixedTimeEquals(candidate, key);
        }

        return found;
    }
}
