using System.Threading.Channels;
using Ferry.Serving.Metrics;
using Ferry.Tracking.Predictions;

namespace Ferry.Serving.Logging;

/// <summary>
/// Writes answered requests to the prediction log off the request path. <see cref="TryLog"/> only samples and
/// queues (never waits, never throws for a record); one background loop turns queued records into JSON and appends
/// them in batches of <see cref="PredictionLogOptions.MaxBatch"/>, or fewer once the oldest waited
/// <see cref="PredictionLogOptions.FlushInterval"/>. A full queue drops new records, and a batch the store keeps
/// refusing is dropped after <see cref="PredictionLogOptions.Retries"/> retries: both are counted in
/// <see cref="Dropped"/> and <c>ferry_prediction_log_dropped_total</c>, and the server goes on serving.
/// </summary>
/// <remarks>
/// Sampling is decided from the request id, so a shadow's record is kept exactly when its live request's record is
/// (logging it without the live answer beside it, or the other way round, would make comparisons lopsided).
/// </remarks>
public sealed class PredictionLogger : IAsyncDisposable
{
    private readonly IPredictionLog _store;
    private readonly PredictionLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ServingMetrics? _metrics;
    private readonly Channel<PredictionRecord> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile Exception? _lastError;
    private long _dropped;
    private long _written;
    private int _disposed;

    /// <summary>Starts the writer loop.</summary>
    /// <param name="store">Where records go (the tracking store).</param>
    /// <param name="options">Sampling, queue and batch settings.</param>
    /// <param name="time">The clock for flush intervals, retry waits and the dispose timeout.</param>
    /// <param name="metrics">Where drops are counted, if anywhere.</param>
    /// <exception cref="FerryException">PREDICTION_LOG_OPTION_INVALID for an option out of range.</exception>
    public PredictionLogger(IPredictionLog store, PredictionLogOptions options, TimeProvider time, ServingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        _queue = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(options.Capacity)
        {
            // Wait mode makes TryWrite return false when full instead of evicting a queued record.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Records not logged: the queue was full, the store kept failing, or the logger was stopping.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records appended to the store so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>The last error that cost records (a store failure or a record that could not be serialised), for health reports.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Queues <paramref name="record"/> if its request is in the sample; never waits.</summary>
    /// <returns>True if queued; false if sampled out, or dropped because the queue is full or the logger is disposed.</returns>
    public bool TryLog(PredictionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!RequestSampling.IsSampled(record.RequestId, _options.SampleRate))
        {
            return false;
        }

        if (_queue.Writer.TryWrite(record))
        {
            return true;
        }

        Drop(1, null);
        return false;
    }

    /// <summary>
    /// Stops taking records and writes what is queued, waiting at most <see cref="PredictionLogOptions.DisposeTimeout"/>;
    /// what is still unwritten then is abandoned and counted as dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_options.DisposeTimeout, _time);
            _stop.Dispose();
        }
        catch (TimeoutException)
        {
            // The store is too slow or hangs: cancel its call and return now. The loop counts what it could not write
            // as it ends; the token source is left to the collector because the loop may still be observing it.
            await _stop.CancelAsync();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var serializer = new PredictionSerializer();
        var batch = new List<LoggedPrediction>(Math.Min(_options.MaxBatch, 1024));
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                await FillAsync(batch, serializer, stop);
                await AppendAsync(batch, stop);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by DisposeAsync's timeout; what is left is counted below.
        }
        catch (Exception e)
        {
            // Never expected, but the loop must end quietly: an unobserved crash here must not take the server down.
            _lastError = e;
        }
        finally
        {
            var left = batch.Count;
            while (_queue.Reader.TryRead(out _))
            {
                left++;
            }

            Drop(left, null);
        }
    }

    /// <summary>
    /// Takes records into <paramref name="batch"/> until it is full, the flush interval passes, or the queue is
    /// completed and empty. An empty queue is looked at again after a pause (a twentieth of the flush interval), not
    /// as each record arrives: waking the loop for every request took CPU from the requests themselves.
    /// </summary>
    private async Task FillAsync(List<LoggedPrediction> batch, PredictionSerializer serializer, CancellationToken stop)
    {
        using var deadline = new CancellationTokenSource(_options.FlushInterval, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stop);
        var pause = _options.FlushInterval / 20;
        while (batch.Count < _options.MaxBatch)
        {
            if (_queue.Reader.TryRead(out var record))
            {
                try
                {
                    batch.Add(serializer.ToLogged(record));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One malformed record is dropped alone, not with the batch it would have joined.
                    Drop(1, e);
                }

                continue;
            }

            // The reader's completion ends once the writer is completed (the logger disposed) and the queue is empty.
            var closed = _queue.Reader.Completion;
            if (closed.IsCompleted || deadline.IsCancellationRequested)
            {
                return;
            }

            // Ends early, without throwing, at the deadline, on stop, or when the logger is disposed.
            await Task.WhenAny(Task.Delay(pause, _time, wait.Token), closed);
            stop.ThrowIfCancellationRequested();
        }
    }

    private async Task AppendAsync(List<LoggedPrediction> batch, CancellationToken stop)
    {
        if (batch.Count == 0)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _store.AppendAsync(batch, stop);
                Interlocked.Add(ref _written, batch.Count);
                return;
            }
            catch (Exception e) when (!(e is OperationCanceledException && stop.IsCancellationRequested))
            {
                if (attempt >= _options.Retries)
                {
                    Drop(batch.Count, e);
                    return;
                }

                _lastError = e;
                await Task.Delay(_options.RetryDelay * (1 << Math.Min(attempt, 16)), _time, stop);
            }
        }
    }

    private void Drop(int count, Exception? error)
    {
        if (error is not null)
        {
            _lastError = error;
        }

        if (count > 0)
        {
            Interlocked.Add(ref _dropped, count);
            _metrics?.RecordPredictionLogDropped(count);
        }
    }
}
