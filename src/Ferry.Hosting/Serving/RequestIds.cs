using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Serving;

/// <summary>
/// Gives every response an <c>X-Request-Id</c>: the caller's own when it sends a usable one (so its logs and ours
/// join up), else a new one. Feedback attaches labels to predictions by this id.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var given = context.Request.Headers[Header].ToString();
        var id = IsUsable(given) ? given : Guid.NewGuid().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        return next();
    }

    /// <summary>Up to 128 letters, digits and <c>-_.:</c>: safe to echo in a header and store as a key.</summary>
    private static bool IsUsable(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
