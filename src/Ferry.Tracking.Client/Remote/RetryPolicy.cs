using System.Net;

namespace Ferry.Tracking.Client.Remote;

/// <summary>Which failures of one request may be retried, decided by what a repeat could do to the server's state.</summary>
internal enum RetryMode
{
    /// <summary>
    /// Only when the request cannot have reached the server (the connection could not be made). For writes
    /// that must not happen twice, such as creating a run.
    /// </summary>
    Unsent,

    /// <summary>
    /// Also when the server (or a proxy in front of it) refused it before doing it: 429, 500, 502, 503. For
    /// log-batch, which is one transaction (a 500 rolled it back) but would log its metric points twice if it
    /// were repeated after succeeding; so not after a timeout, a 504 or a connection broken mid-reply.
    /// </summary>
    Rejected,

    /// <summary>Any transient failure, including timeouts and broken replies. For reads and other idempotent calls.</summary>
    Idempotent,
}

/// <summary>How often and how patiently a request to the tracking server is tried.</summary>
/// <param name="MaxAttempts">Tries in all, the first included.</param>
/// <param name="FirstDelay">The wait before the first retry; each later wait doubles, up to <paramref name="MaxDelay"/>.</param>
/// <param name="MaxDelay">The longest wait between tries (also the cap on a server's Retry-After).</param>
/// <param name="RequestTimeout">How long one try of an API call may take, reply included; uploads are not limited.</param>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan RequestTimeout)
{
    /// <summary>
    /// Four tries over about 3.5 s: enough to ride out a server restart or a brief overload without hanging a
    /// training job for minutes as MLflow's client can; a request times out after 2 minutes (MLflow's is 120 s).
    /// </summary>
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(8), TimeSpan.FromMinutes(2));

    /// <summary>The wait before try <paramref name="nextAttempt"/> (2, 3, …), or the server's Retry-After when it gave one.</summary>
    public TimeSpan DelayBefore(int nextAttempt, HttpResponseMessage? refusal)
    {
        var backoff = FirstDelay * Math.Pow(2, nextAttempt - 2);
        var asked = refusal?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } when refusal.Headers.Date is { } now => date - now,
            _ => TimeSpan.Zero,
        };
        var delay = asked > backoff ? asked : backoff;
        return delay > MaxDelay ? MaxDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Whether a reply with <paramref name="status"/> may be retried under <paramref name="mode"/>.</summary>
    public static bool MayRetry(RetryMode mode, HttpStatusCode status) => mode switch
    {
        RetryMode.Unsent => false,
        RetryMode.Rejected => status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable,
        // No other 4xx: the request itself is wrong, and sending it again cannot help.
        _ => status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
    };

    /// <summary>Whether a request that failed with <paramref name="failure"/> before a reply may be retried under <paramref name="mode"/>.</summary>
    public static bool MayRetry(RetryMode mode, HttpRequestException failure) =>
        failure.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError || mode == RetryMode.Idempotent;
}
