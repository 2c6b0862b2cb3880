using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client;

/// <summary>
/// A run being logged. <see cref="LogMetric"/>, <see cref="LogParam"/> and <see cref="SetTag"/> return at once;
/// entries are written in batches in the background (every flush interval, or as soon as a batch is full) and
/// on <see cref="FlushAsync"/>, <see cref="EndAsync"/> and dispose. A batch the store refuses is reported by
/// the next flush, end or dispose, and the run is then ended as FAILED.
/// </summary>
public sealed class TrackedRun : IAsyncDisposable
{
    private readonly ITrackingStore _store;
    private readonly TimeProvider _time;
    private readonly Func<string, IArtifactStore> _openArtifacts;
    private readonly RunLogBuffer _buffer = new();
    private readonly Dictionary<string, string> _params = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly SemaphoreSlim _batchReady = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _background;
    private IArtifactStore? _artifacts;
    private Exception? _failure;
    private int _ended;

    internal TrackedRun(ITrackingStore store, RunInfo info, TimeProvider time, TimeSpan flushInterval, Func<string, IArtifactStore> openArtifacts)
    {
        _store = store;
        _time = time;
        _openArtifacts = openArtifacts;
        Info = info;
        // Created here, not on the background thread, so the interval counts from the run's start on any clock.
        _timer = new PeriodicTimer(flushInterval, time);
        _background = Task.Run(WriteInBackgroundAsync);
    }

    /// <summary>The run as it was created.</summary>
    public RunInfo Info { get; }

    /// <summary>The run id.</summary>
    public string RunId => Info.RunId;

    /// <summary>Logs a metric point, timestamped now.</summary>
    public void LogMetric(string key, double value, long step = 0)
    {
        ThrowIfUnusable();
        _buffer.Add(new Metric(key, value, _time.GetUtcNow().ToUnixTimeMilliseconds(), step));
        SignalIfBatchFull();
    }

    /// <summary>Logs a param. Logging it again with the same value is fine; with another value it throws here, at once.</summary>
    /// <exception cref="FerryException">INVALID_PARAMETER_VALUE: the param was logged with another value.</exception>
    public void LogParam(string key, string value)
    {
        ThrowIfUnusable();
        lock (_params)
        {
            if (_params.TryGetValue(key, out var logged))
            {
                if (logged != value)
                {
                    throw FerryException.Invalid(TrackingErrors.InvalidParameterValue,
                        $"param '{key}' was already logged with value '{logged}'; a run's params cannot change (got '{value}')");
                }

                return;
            }

            _params.Add(key, value);
        }

        _buffer.Add(new Param(key, value));
        SignalIfBatchFull();
    }

    /// <summary>Sets a tag; the last value set wins.</summary>
    public void SetTag(string key, string value)
    {
        ThrowIfUnusable();
        _buffer.Add(new RunTag(key, value));
        SignalIfBatchFull();
    }

    /// <summary>Records the datasets this run read (MLflow's dataset inputs), written at once.</summary>
    public Task LogInputsAsync(IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        return _store.LogInputsAsync(RunId, datasets, cancellationToken);
    }

    /// <summary>
    /// Uploads a file, or a folder with everything in it, into the run's artifacts under <paramref name="destFolder"/>;
    /// a folder keeps its name, as MLflow's <c>log_artifact</c> does.
    /// </summary>
    public async Task LogArtifactAsync(string localPath, string? destFolder = null, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _artifacts ??= _openArtifacts(Info.ArtifactUri);
        if (Directory.Exists(localPath))
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(localPath)));
            await _artifacts.LogArtifactsAsync(localPath, destFolder is null ? name : $"{destFolder.TrimEnd('/')}/{name}", cancellationToken);
        }
        else
        {
            await _artifacts.UploadFileAsync(localPath, destFolder, cancellationToken);
        }
    }

    /// <summary>Writes everything logged so far.</summary>
    /// <exception cref="FerryException">A batch was refused by the store (now or earlier).</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        if (_failure is { } failure)
        {
            var (kind, code) = failure is FerryException f ? (f.Kind, f.Code) : (ErrorKind.Conflict, "TRACKING_WRITE_FAILED");
            throw new FerryException(kind, code, $"run {RunId}: logged entries could not be written: {failure.Message}", inner: failure);
        }
    }

    /// <summary>
    /// Writes what is buffered and ends the run with <paramref name="status"/> (FAILED instead if a batch was refused,
    /// and the refusal is thrown). If the store cannot be reached at all (a server that went away), the run cannot be
    /// ended and stays RUNNING; the error thrown is still the batch's.
    /// </summary>
    public async Task EndAsync(RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _background;
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (FerryException)
        {
            try
            {
                await _store.UpdateRunAsync(RunId, RunStatus.Failed, _time.GetUtcNow().ToUnixTimeMilliseconds(), null, CancellationToken.None);
            }
            catch (FerryException)
            {
                // The store is unusable (a server that went away): the refused batch, rethrown below, is the error to report.
            }

            throw;
        }

        await _store.UpdateRunAsync(RunId, status, _time.GetUtcNow().ToUnixTimeMilliseconds(), null, cancellationToken);
    }

    /// <summary>Ends the run as FINISHED (after writing what is buffered) unless it was ended already.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await EndAsync(RunStatus.Finished);
        }
        finally
        {
            _artifacts?.Dispose();
            _timer.Dispose();
            _stop.Dispose();
            _writer.Dispose();
            _batchReady.Dispose();
        }
    }

    private async Task WriteInBackgroundAsync()
    {
        var tick = _timer.WaitForNextTickAsync(_stop.Token).AsTask();
        try
        {
            while (true)
            {
                var full = _batchReady.WaitAsync(_stop.Token);
                var woke = await Task.WhenAny(tick, full);
                if (woke == tick)
                {
                    await tick;
                    tick = _timer.WaitForNextTickAsync(_stop.Token).AsTask();
                }

                await DrainAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ending: EndAsync drains what is left.
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            while (_failure is null && _buffer.TakeBatch() is { } batch)
            {
                try
                {
                    await _store.LogBatchAsync(RunId, batch.Metrics, batch.Params, batch.Tags, CancellationToken.None);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Kept, not thrown: the background writer has no caller; the next flush, end or dispose reports it.
                    _failure = e;
                }
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private void SignalIfBatchFull()
    {
        if (_buffer.Count >= TrackingLimits.MaxEntitiesPerBatch && _batchReady.CurrentCount == 0)
        {
            try
            {
                _batchReady.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another logger signalled first; one wake-up is enough.
            }
        }
    }

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _ended) == 1)
        {
            throw new InvalidOperationException($"run {RunId} has ended; start a new run to log more");
        }
    }
}
