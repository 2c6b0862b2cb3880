using System.Globalization;

namespace Ferry.Serving.Logging;

/// <summary>How the server logs predictions: which share of requests, how much may queue, how batches are written.</summary>
public sealed record PredictionLogOptions
{
    /// <summary>The code of an option out of its range.</summary>
    public const string InvalidCode = "PREDICTION_LOG_OPTION_INVALID";

    /// <summary>The default options.</summary>
    public static PredictionLogOptions Default { get; } = new();

    /// <summary>The share of requests logged, 0 (none) to 1 (all). A request's shadow answers share its decision.</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>How many records may wait to be written; past that, new records are dropped and counted.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>The most records written in one transaction.</summary>
    public int MaxBatch { get; init; } = 500;

    /// <summary>The longest a record waits for its batch to fill before the batch is written anyway.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a batch the store refused is tried again before it is dropped.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The wait before the first retry; each further retry waits twice as long.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest <see cref="PredictionLogger.DisposeAsync"/> waits for queued records to be written.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws PREDICTION_LOG_OPTION_INVALID naming the first option out of range.</summary>
    internal void Validate()
    {
        if (!(SampleRate is >= 0 and <= 1))
        {
            throw Invalid("sample rate", SampleRate.ToString(CultureInfo.InvariantCulture), "a share between 0 and 1");
        }

        if (Capacity < 1 || MaxBatch < 1 || Retries < 0)
        {
            var (name, value) = Capacity < 1 ? ("capacity", Capacity) : MaxBatch < 1 ? ("max batch", MaxBatch) : ("retries", Retries);
            throw Invalid(name, value.ToString(CultureInfo.InvariantCulture), name == "retries" ? "0 or more" : "at least 1");
        }

        foreach (var (name, value, zeroAllowed) in new[] { ("flush interval", FlushInterval, false), ("retry delay", RetryDelay, true), ("dispose timeout", DisposeTimeout, false) })
        {
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !zeroAllowed))
            {
                throw Invalid(name, value.ToString("c", CultureInfo.InvariantCulture), zeroAllowed ? "zero or more" : "more than zero");
            }
        }
    }

    private static FerryException Invalid(string name, string value, string expected) =>
        FerryException.Usage(InvalidCode, $"the prediction log's {name} is {value}; it must be {expected}");
}
