using Ferry.Learn;

namespace Ferry.Serving.Management;

/// <summary>How the <see cref="ModelManager"/> polls, loads and unloads.</summary>
public sealed record ManagerOptions
{
    /// <summary>How often the source is read. Default 2 s: a rollback (moving an alias back) takes effect within it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Dedicated threads loading models. Default 2.</summary>
    public int LoaderThreads { get; init; } = 2;

    /// <summary>How long a retired version waits for its in-flight requests before it is unloaded anyway. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a version that failed to load is left alone before it is tried again. Default 30 s.</summary>
    public TimeSpan RetryFailedAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Predictions run on made-up rows before a version takes traffic. Default 3.</summary>
    public int WarmupRuns { get; init; } = 3;

    /// <summary>Wraps each loaded predictor before it serves (for example with batching); null serves it as loaded.</summary>
    public Func<IPredictor, ServableId, IPredictor>? Decorate { get; init; }

    /// <summary>Throws a usage error naming the first setting out of range.</summary>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero || DrainTimeout < TimeSpan.Zero || RetryFailedAfter < TimeSpan.Zero)
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", "poll interval must be positive and drain and retry times not negative");
        }

        if (LoaderThreads < 1 || WarmupRuns < 0)
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", $"loader threads must be 1 or more (got {LoaderThreads}) and warm-up runs 0 or more (got {WarmupRuns})");
        }
    }
}
