using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>Single-item logging, written once over <see cref="ITrackingStore.LogBatchAsync"/> so every store behaves alike.</summary>
public static class TrackingStoreExtensions
{
    /// <summary>Logs one metric point.</summary>
    public static Task LogMetricAsync(this ITrackingStore store, string runId, Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.LogBatchAsync(runId, [metric], [], [], cancellationToken);
    }

    /// <summary>Logs one param; logging it again with another value is INVALID_PARAMETER_VALUE.</summary>
    public static Task LogParamAsync(this ITrackingStore store, string runId, Param param, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.LogBatchAsync(runId, [], [param], [], cancellationToken);
    }

    /// <summary>Sets (or overwrites) one run tag.</summary>
    public static Task SetTagAsync(this ITrackingStore store, string runId, RunTag tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.LogBatchAsync(runId, [], [], [tag], cancellationToken);
    }
}
