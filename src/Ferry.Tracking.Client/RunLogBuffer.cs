using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client;

/// <summary>
/// What a run has logged but not yet written, in order per kind, cut into batches within MLflow's log-batch
/// limits. Logging calls only enqueue; one writer at a time drains, so batches reach the store in order.
/// </summary>
internal sealed class RunLogBuffer
{
    private readonly object _gate = new();
    private readonly Queue<Metric> _metrics = new();
    private readonly Queue<Param> _params = new();
    private readonly Queue<RunTag> _tags = new();

    /// <summary>Entries waiting to be written.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _metrics.Count + _params.Count + _tags.Count;
            }
        }
    }

    public void Add(Metric metric)
    {
        lock (_gate)
        {
            _metrics.Enqueue(metric);
        }
    }

    public void Add(Param param)
    {
        lock (_gate)
        {
            _params.Enqueue(param);
        }
    }

    public void Add(RunTag tag)
    {
        lock (_gate)
        {
            _tags.Enqueue(tag);
        }
    }

    /// <summary>Takes the next batch (params and tags first, metrics filling the rest), or null when empty.</summary>
    public (List<Metric> Metrics, List<Param> Params, List<RunTag> Tags)? TakeBatch()
    {
        lock (_gate)
        {
            if (_metrics.Count + _params.Count + _tags.Count == 0)
            {
                return null;
            }

            var parameters = Take(_params, TrackingLimits.MaxParamsPerBatch);
            var tags = Take(_tags, TrackingLimits.MaxTagsPerBatch);
            var room = Math.Min(TrackingLimits.MaxMetricsPerBatch, TrackingLimits.MaxEntitiesPerBatch - parameters.Count - tags.Count);
            return (Take(_metrics, room), parameters, tags);
        }
    }

    private static List<T> Take<T>(Queue<T> queue, int max)
    {
        var taken = new List<T>(Math.Min(max, queue.Count));
        while (taken.Count < max && queue.TryDequeue(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }
}
