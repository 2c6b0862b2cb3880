namespace Ferry.Tracking.Predictions;

/// <summary>Which logged predictions to read: one model, optionally one version and a time window.</summary>
/// <param name="Model">The served model's name.</param>
public sealed record PredictionQuery(string Model)
{
    /// <summary>The most records one read may return.</summary>
    public const int MaxLimit = 50_000;

    /// <summary>Only this version's records; null for every version.</summary>
    public int? Version { get; init; }

    /// <summary>Only records at or after this time, epoch milliseconds.</summary>
    public long? From { get; init; }

    /// <summary>Only records before this time, epoch milliseconds.</summary>
    public long? To { get; init; }

    /// <summary>Whether shadow versions' answers are included (by default only answers returned to callers).</summary>
    public bool IncludeShadow { get; init; }

    /// <summary>The most records to return (1 to <see cref="MaxLimit"/>); the oldest come first.</summary>
    public int Limit { get; init; } = 1000;
}
