using Ferry.Serving;
using Ferry.Serving.Batching;
using Ferry.Serving.Logging;
using Ferry.Serving.Management;
using Ferry.Serving.Metrics;
using Ferry.Serving.Sources;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Predictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Hosting.Serving;

/// <summary>
/// Starts the serving core once the store is open: the source (registry or model folder), the manager polling it on
/// its own loop, batching in front of each version, the inference service, Prometheus metrics and the prediction log;
/// and stops them in reverse, letting in-flight requests finish.
/// </summary>
internal sealed partial class ServingHost(TrackingServerOptions server, TrackingStoreHost stores, ILogger<ServingHost> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly ServingOptions options = server.Serving ?? throw new InvalidOperationException("serving is not configured");
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private ModelManager? _manager;
    private InferenceService? _inference;
    private PredictionLogger? _log;

    /// <summary>Requests, latencies, batches, queues, loads and the prediction log's drops.</summary>
    public ServingMetrics Metrics { get; } = new();

    /// <summary>The inference service; valid once started.</summary>
    public InferenceService Inference => _inference ?? throw new InvalidOperationException("serving has not started");

    /// <summary>The manager; valid once started.</summary>
    public ModelManager Manager => _manager ?? throw new InvalidOperationException("serving has not started");

    /// <summary>The prediction log's store (the tracking store), for feedback.</summary>
    public IPredictionLog PredictionLog => (IPredictionLog)stores.Store;

    /// <summary>The serving settings.</summary>
    public ServingOptions Options => options;

    /// <summary>The clock.</summary>
    public TimeProvider Time => server.Time;

    /// <summary>Logs one answered request, when <see cref="ServingOptions.LogRequests"/> is on.</summary>
    public void LogRequest(string requestId, string method, string path, int? version, int status, double milliseconds)
    {
        if (options.LogRequests)
        {
            LogServed(logger, requestId, method, path, version, status, milliseconds);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var time = server.Time;
        var manager = new ModelManager(Source(), options.Flavors, options.Manager with { Decorate = Decorate }, time);
        manager.Changed += OnChanged;
        var inference = new InferenceService(manager, time);
        var log = new PredictionLogger(PredictionLog, new PredictionLogOptions { SampleRate = options.PredictionLogSampleRate }, time, Metrics);
        inference.Predicted += record => log.TryLog(record);
        inference.ShadowCompared += c => Metrics.RecordShadow(c.Live, c.Shadow, c.Error is null && c.AgreedRows == c.Rows, (c.ShadowMs - c.LiveMs) / 1000);
        (_manager, _inference, _log) = (manager, inference, log);

        // Loading runs beside startup: the server answers health checks (not ready) while models load.
        _loop = Task.Run(() => manager.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (Interlocked.Exchange(ref _loop, null) is { } loop)
        {
            await loop;
        }

        if (Interlocked.Exchange(ref _manager, null) is { } manager)
        {
            await manager.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _log, null) is { } log)
        {
            await log.DisposeAsync();
        }
    }

    private ModelSource Source()
    {
        if (options.ModelsFolder is { } folder)
        {
            return new FolderSource(folder, options.KeepLatest);
        }

        var store = stores.Store;
        var artifacts = server.ResolveArtifactStoreUri();
        var cache = new RegistryPackageCache(store, location => ArtifactLocations.Open(location, artifacts, server.S3),
            Path.Combine((server.Home ?? FerryHome.Resolve(null, null)).Root, "cache", "models"));
        return new RegistrySource(store, cache, options.Models, options.KeepLatest, options.Alias);
    }

    private Ferry.Learn.IPredictor Decorate(Ferry.Learn.IPredictor predictor, ServableId id)
    {
        if (!options.Batching.Enabled)
        {
            return predictor;
        }

        var batching = new BatchingPredictor(predictor, options.Batching, server.Time, rows => Metrics.RecordBatch(id, rows), id.ToString());
        Metrics.SetQueueDepth(id, () => batching.QueueDepth);
        return batching;
    }

    private void OnChanged(ServableEvent change)
    {
        switch (change.State)
        {
            case ServableState.Available:
                Metrics.RecordLoad(change.Id, true, change.Seconds ?? 0);
                LogLoaded(logger, change.Id.Model, change.Id.Version, change.Seconds ?? 0);
                break;
            case ServableState.Failed:
                Metrics.RecordLoad(change.Id, false, change.Seconds ?? 0);
                LogLoadFailed(logger, change.Id.Model, change.Id.Version, change.Error ?? "");
                break;
            case ServableState.End:
                Metrics.RecordUnload(change.Id);
                Metrics.RemoveServable(change.Id);
                LogUnloaded(logger, change.Id.Model, change.Id.Version, change.Error ?? "drained");
                break;
            default:
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Model} version {Version} is available (loaded and warmed in {Seconds:0.###} s)")]
    private static partial void LogLoaded(ILogger logger, string model, int version, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "model {Model} version {Version} failed to load and takes no traffic: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {RequestId} {Method} {Path} version {Version} answered {Status} in {Milliseconds:0.###} ms")]
    private static partial void LogServed(ILogger logger, string requestId, string method, string path, int? version, int status, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Model} version {Version} unloaded ({How})")]
    private static partial void LogUnloaded(ILogger logger, string model, int version, string how);
}
