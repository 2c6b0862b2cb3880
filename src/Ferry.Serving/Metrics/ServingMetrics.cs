using System.Globalization;
using System.Text;

namespace Ferry.Serving.Metrics;

/// <summary>
/// The server's Prometheus metrics: requests, latencies, batch sizes, queue depths, loads, shadow comparisons and
/// prediction-log drops, written in the text exposition format 0.0.4 (<see cref="ContentType"/>). Every method is
/// thread-safe and lock-free on the request path; one instance serves the whole server.
/// </summary>
/// <remarks>
/// Each distinct label set is a series kept until <see cref="RemoveServable"/> drops it, so callers pass names of
/// served models only (an unknown name from a client should be recorded under one fixed placeholder, or a client
/// could grow the series without bound).
/// </remarks>
public sealed class ServingMetrics
{
    /// <summary>The Content-Type of the text <see cref="Render"/> writes.</summary>
    public const string ContentType = Exposition.ContentType;

    private static readonly double[] DurationBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] BatchBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
    private static readonly double[] LoadBounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    // Shadow minus live: negative when the shadow answered faster, hence buckets on both sides of zero.
    private static readonly double[] DeltaBounds = [-1, -0.25, -0.1, -0.025, -0.01, -0.0025, -0.001, 0, 0.001, 0.0025, 0.01, 0.025, 0.1, 0.25, 1];

    private readonly CounterFamily _requests = new("ferry_requests_total", "Requests answered, by model, version, protocol and status code.", "model", "version", "protocol", "code");
    private readonly HistogramFamily _durations = new("ferry_request_duration_seconds", "Time from a request's arrival to its answer, in seconds.", DurationBounds, "model", "version");
    private readonly HistogramFamily _batches = new("ferry_batch_size", "Rows per batch handed to a model version.", BatchBounds, "model", "version");
    private readonly CallbackGaugeFamily _queues = new("ferry_queue_depth", "Requests waiting in a version's queue, read at scrape time.", "model", "version");
    private readonly CounterFamily _loads = new("ferry_model_loads_total", "Version loads, by result (success or failure).", "model", "version", "result");
    private readonly CounterFamily _unloads = new("ferry_model_unloads_total", "Versions unloaded.", "model", "version");
    private readonly HistogramFamily _loadSeconds = new("ferry_model_load_seconds", "Time to load and warm up a version, in seconds.", LoadBounds, "model");
    private readonly CounterFamily _shadows = new("ferry_shadow_requests_total", "Requests mirrored to a shadow version, by whether its answer agreed with the live one.", "model", "live", "shadow", "agreed");
    private readonly HistogramFamily _shadowDelta = new("ferry_shadow_latency_delta_seconds", "Shadow latency minus live latency per mirrored request, in seconds (negative: the shadow was faster).", DeltaBounds, "model", "live", "shadow");
    private readonly CounterFamily _logDropped = new("ferry_prediction_log_dropped_total", "Prediction records not written to the prediction log (queue full or store failing).");

    private readonly MetricFamily[] _families;

    /// <summary>Creates the metrics with every series empty.</summary>
    public ServingMetrics()
    {
        _families = [_requests, _durations, _batches, _queues, _loads, _unloads, _loadSeconds, _shadows, _shadowDelta, _logDropped];
        // Present from the first scrape, so a rate over it never starts from a missing series.
        _logDropped.Add(0);
    }

    /// <summary>Counts one answered request and observes its duration.</summary>
    /// <param name="model">The served model's name.</param>
    /// <param name="version">The version that answered; null when none did (for example a model that was not ready).</param>
    /// <param name="protocol">How the request came (for example <c>rest</c>, <c>v2</c>, <c>grpc</c>).</param>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="seconds">From arrival to answer.</param>
    public void RecordRequest(string model, int? version, string protocol, int status, double seconds)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(protocol);
        var versionText = version is { } v ? Text(v) : "";
        _requests.Add(1, model, versionText, protocol, Text(status));
        _durations.Observe(seconds, model, versionText);
    }

    /// <summary>Observes the size of one batch run by <paramref name="id"/>.</summary>
    public void RecordBatch(ServableId id, int rows) => _batches.Observe(rows, Model(id), Text(id.Version));

    /// <summary>Reports <paramref name="depth"/> (called at each scrape) as the queue depth of <paramref name="id"/>, until <see cref="RemoveServable"/>.</summary>
    public void SetQueueDepth(ServableId id, Func<int> depth)
    {
        ArgumentNullException.ThrowIfNull(depth);
        _queues.Set(() => depth(), Model(id), Text(id.Version));
    }

    /// <summary>
    /// Drops the series of a version that was unloaded: its queue depth (whose callback would read a queue that is
    /// gone), batch sizes, requests, durations and shadow comparisons. Load and unload counts stay, so the unload shows.
    /// </summary>
    public void RemoveServable(ServableId id)
    {
        var model = Model(id);
        var version = Text(id.Version);
        bool IsVersion(IReadOnlyList<string> labels) => labels[0] == model && labels[1] == version;
        _queues.RemoveWhere(IsVersion);
        _batches.RemoveWhere(IsVersion);
        _requests.RemoveWhere(IsVersion);
        _durations.RemoveWhere(IsVersion);
        var asOtherModel = id.ToString();
        bool InShadow(IReadOnlyList<string> labels) => (labels[0] == model && (labels[1] == version || labels[2] == version)) || labels[2] == asOtherModel;
        _shadows.RemoveWhere(InShadow);
        _shadowDelta.RemoveWhere(InShadow);
    }

    /// <summary>Counts one load of <paramref name="id"/> (result <c>success</c> or <c>failure</c>) and observes how long it took.</summary>
    public void RecordLoad(ServableId id, bool succeeded, double seconds)
    {
        _loads.Add(1, Model(id), Text(id.Version), succeeded ? "success" : "failure");
        _loadSeconds.Observe(seconds, Model(id));
    }

    /// <summary>Counts one unload of <paramref name="id"/>.</summary>
    public void RecordUnload(ServableId id) => _unloads.Add(1, Model(id), Text(id.Version));

    /// <summary>
    /// Counts one request mirrored from <paramref name="live"/> to <paramref name="shadow"/> and observes shadow latency
    /// minus live latency. The <c>live</c> and <c>shadow</c> labels are version numbers; a shadow of another model is
    /// labelled <c>NAME/VERSION</c>.
    /// </summary>
    public void RecordShadow(ServableId live, ServableId shadow, bool agreed, double latencyDeltaSeconds)
    {
        var shadowText = shadow.Model == live.Model ? Text(shadow.Version) : shadow.ToString();
        _shadows.Add(1, Model(live), Text(live.Version), shadowText, agreed ? "true" : "false");
        _shadowDelta.Observe(latencyDeltaSeconds, Model(live), Text(live.Version), shadowText);
    }

    /// <summary>Counts prediction records the log could not keep; a count below 1 is ignored.</summary>
    public void RecordPredictionLogDropped(int count)
    {
        if (count > 0)
        {
            _logDropped.Add(count);
        }
    }

    /// <summary>Every metric in the text exposition format 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        foreach (var family in _families)
        {
            family.Write(text);
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="Render"/>'s text to <paramref name="output"/> as UTF-8.</summary>
    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteAsync(Encoding.UTF8.GetBytes(Render()), ct);
    }

    private static string Model(ServableId id) => id.Model ?? "";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
