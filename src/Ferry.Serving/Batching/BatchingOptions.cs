using System.Globalization;

namespace Ferry.Serving.Batching;

/// <summary>
/// How a <see cref="BatchingPredictor"/> merges concurrent requests for one model version. The defaults suit small
/// tabular models: a millisecond of waiting costs little next to a request's network time and lets bursts share a call.
/// </summary>
public sealed record BatchingOptions
{
    /// <summary>The code of an options error.</summary>
    public const string InvalidCode = "BATCHING_OPTIONS_INVALID";

    /// <summary>The longest batching window <see cref="Validate"/> accepts; longer is almost surely a unit mistake.</summary>
    public static readonly TimeSpan MaxWaitLimit = TimeSpan.FromMinutes(1);

    /// <summary>The longest request timeout <see cref="Validate"/> accepts.</summary>
    public static readonly TimeSpan RequestTimeoutLimit = TimeSpan.FromHours(1);

    /// <summary>Whether requests are batched at all (default true); when false every call goes straight to the model, with no queue, limit or timeout.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// A batch closes once it holds this many rows (default 64). A request that would take it past the limit starts the
    /// next batch; a single request larger than the limit runs alone, whole.
    /// </summary>
    public int MaxBatchRows { get; init; } = 64;

    /// <summary>
    /// How long the oldest request of a forming batch waits for others to join (default 1 ms). Zero runs whatever is
    /// queued at once.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How many requests may wait for their batch to start (default 1024); beyond it a request is refused at once with
    /// <see cref="ServingErrors.ServerBusy"/> so callers back off instead of queueing without bound.
    /// </summary>
    public int MaxQueuedRequests { get; init; } = 1024;

    /// <summary>
    /// How long a request may take from arrival to answer (default 10 s); past it the caller gets
    /// <see cref="ServingErrors.Timeout"/>, and a request whose batch has not started is dropped. Keep it well above
    /// <see cref="MaxWait"/>: a request alone in the queue waits that long before it runs.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="FerryException">BATCHING_OPTIONS_INVALID naming the first setting out of range and its bounds.</exception>
    public void Validate()
    {
        if (MaxBatchRows < 1)
        {
            throw Invalid($"MaxBatchRows is {MaxBatchRows}; it must be at least 1");
        }

        if (MaxQueuedRequests < 1)
        {
            throw Invalid($"MaxQueuedRequests is {MaxQueuedRequests}; it must be at least 1");
        }

        if (MaxWait < TimeSpan.Zero || MaxWait > MaxWaitLimit)
        {
            throw Invalid($"MaxWait is {Describe(MaxWait)}; it must be between 0 and {Describe(MaxWaitLimit)}");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > RequestTimeoutLimit)
        {
            throw Invalid($"RequestTimeout is {Describe(RequestTimeout)}; it must be more than 0 and at most {Describe(RequestTimeoutLimit)}");
        }
    }

    /// <summary>A duration as a message writes it: whole seconds as <c>10 s</c>, anything else in milliseconds.</summary>
    internal static string Describe(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
            : $"{span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms";

    private static FerryException Invalid(string message) => FerryException.Usage(InvalidCode, "batching: " + message);
}
