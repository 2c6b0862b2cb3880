using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ferry.Tracking.Client.Remote;

/// <summary>
/// Turns what a tracking server answered (or failed to answer) into <see cref="FerryException"/>s. An MLflow error
/// body <c>{"error_code", "message"}</c> keeps its code and message, with the kind the server mapped it from, so a
/// caller sees the same error remotely as in-process. Transport failures name the server's URL.
/// </summary>
internal static class ServerErrors
{
    /// <summary>The server could not be reached, or broke off.</summary>
    public const string Unreachable = "SERVER_UNREACHABLE";

    /// <summary>The server did not answer in time.</summary>
    public const string Timeout = "SERVER_TIMEOUT";

    /// <summary>The server answered with something that is not an MLflow reply.</summary>
    public const string ReplyInvalid = "SERVER_REPLY_INVALID";

    /// <summary>The server URL is not an absolute http(s) URL.</summary>
    public const string UrlInvalid = "SERVER_URL_INVALID";

    // The largest error body read; MLflow's are a few hundred bytes, and an HTML error page needs no more to be recognised.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The kind of each MLflow error code, the inverse of the server's mapping (Ferry.Hosting's ErrorHandling).</summary>
    public static ErrorKind KindOf(string code, HttpStatusCode status) => code switch
    {
        TrackingErrors.ResourceDoesNotExist or "ENDPOINT_NOT_FOUND" => ErrorKind.NotFound,
        TrackingErrors.ResourceAlreadyExists or "RESOURCE_CONFLICT" => ErrorKind.Conflict,
        TrackingErrors.InvalidParameterValue or "BAD_REQUEST" or "INVALID_STATE" or "MALFORMED_REQUEST" => ErrorKind.InvalidInput,
        "PERMISSION_DENIED" or "UNAUTHENTICATED" => ErrorKind.Usage,
        _ => status switch
        {
            HttpStatusCode.NotFound => ErrorKind.NotFound,
            HttpStatusCode.Conflict => ErrorKind.Conflict,
            >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => ErrorKind.InvalidInput,
            // A server fault (after retries): nothing the caller sent was wrong, the server could not do it.
            _ => ErrorKind.Conflict,
        },
    };

    /// <summary>
    /// The error a non-success response carries; reads at most a small part of its body. An MLflow error keeps the
    /// server's code and message as they are, so a remote caller sees what an in-process one would.
    /// </summary>
    public static async Task<FerryException> FromResponseAsync(HttpResponseMessage response, string server, int attempts, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await ReadSomeAsync(response, cancellationToken).ConfigureAwait(false);
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        if (TryParseError(body) is { } error)
        {
            return new FerryException(KindOf(error.Code, status), error.Code, error.Message);
        }

        var (code, hint) = status switch
        {
            HttpStatusCode.NotFound => ("ENDPOINT_NOT_FOUND", "; is the URL a Ferry or MLflow tracking server?"),
            HttpStatusCode.Unauthorized => ("UNAUTHENTICATED", "; the server wants credentials"),
            HttpStatusCode.Forbidden => ("PERMISSION_DENIED", ""),
            HttpStatusCode.TooManyRequests => ("REQUEST_LIMIT_EXCEEDED", "; try again later"),
            >= HttpStatusCode.InternalServerError => ("INTERNAL_ERROR", "; the server's log may say why"),
            _ => ("BAD_REQUEST", ""),
        };
        return new FerryException(KindOf(code, status), code, $"the Ferry server at {server} answered {request} with HTTP {(int)status} {response.ReasonPhrase}{Snippet(body)}{hint}{Tries(attempts)}");
    }

    public static FerryException CannotReach(string server, Exception failure, int attempts) => new(
        ErrorKind.Conflict, Unreachable,
        $"cannot reach the Ferry server at {server}: {Reason(failure)}; check the URL and that `ferry server` is running there{Tries(attempts)}",
        inner: failure);

    public static FerryException BrokeOff(string server, string request, Exception failure, int attempts) => new(
        ErrorKind.Conflict, Unreachable, $"the Ferry server at {server} broke off {request}: {Reason(failure)}{Tries(attempts)}", inner: failure);

    public static FerryException TimedOut(string server, string request, TimeSpan timeout, int attempts) => new(
        ErrorKind.Conflict, Timeout, $"the Ferry server at {server} did not answer {request} within {timeout.TotalSeconds:0.#} s{Tries(attempts)}");

    public static FerryException BadReply(string detail, Exception? inner = null) => new(
        ErrorKind.Conflict, ReplyInvalid, $"the tracking server's reply cannot be read: {detail}; is the URL a Ferry or MLflow tracking server?", inner: inner);

    public static FerryException BadUrl(string url, string problem) => FerryException.Usage(
        UrlInvalid, $"the server URL '{url}' {problem}; give the address `ferry server` listens on, such as http://127.0.0.1:5000");

    private static (string Code, string Message)? TryParseError(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, RestJson.Default.ErrorReply);
            return string.IsNullOrEmpty(error?.ErrorCode) ? null : (error.ErrorCode, error.Message ?? error.ErrorCode);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBodyBytes];
                var total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                return Encoding.UTF8.GetString(buffer, 0, total).Trim();
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status alone still explains the failure.
            return "";
        }
    }

    private static string Snippet(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length == 0 ? "" : ": " + (flat.Length <= 200 ? flat : flat[..200] + "…");
    }

    /// <summary>The most specific message in the chain (the socket's "Connection refused" rather than HttpClient's wrapper).</summary>
    private static string Reason(Exception failure)
    {
        var reason = failure;
        while (reason.InnerException is { } inner && reason is not SocketException)
        {
            reason = inner;
        }

        return reason.Message;
    }

    private static string Tries(int attempts) => attempts > 1 ? $" (tried {attempts} times)" : "";
}
