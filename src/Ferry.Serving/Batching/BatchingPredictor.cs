using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Batching;

/// <summary>
/// Merges concurrent requests for one model version into batches: a model scores 64 rows in one call for little
/// more than one row costs, so under load callers share calls instead of queueing for the model one by one.
/// </summary>
/// <remarks>
/// Requests wait in a bounded queue. One loop takes the oldest, lets others join for up to
/// <see cref="BatchingOptions.MaxWait"/> (measured from the oldest's arrival) or until
/// <see cref="BatchingOptions.MaxBatchRows"/> rows are in, stacks their tables, predicts once and hands each caller
/// its own rows' predictions. Only requests with the same columns share a batch. Batches run one at a time, so the next
/// batch fills while the current one is scored. A batch failed by one caller's bad row is re-run request by request,
/// so every caller gets its own answer or its own error. With no window to wait for, a request that finds the model
/// idle and nothing queued is scored at once on its caller's thread, as a batch of one.
/// </remarks>
public sealed class BatchingPredictor : IPredictor, IAsyncDisposable
{
    private readonly IPredictor _inner;
    private readonly BatchingOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<int>? _onBatch;
    private readonly string _name;
    private readonly Action _left;
    private readonly Channel<BatchRequest> _queue;
    private readonly CancellationTokenSource _stop = new();

    // Held by whoever is predicting: a batch from the loop, or a lone request scored on its caller's thread.
    private readonly SemaphoreSlim _model = new(1, 1);
    private readonly Task _loop;
    private int _waiting;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/> and starts the batching loop (unless batching is disabled).</summary>
    /// <param name="inner">The model version's predictor; this predictor owns it from now on and disposes it.</param>
    /// <param name="options">The batching limits.</param>
    /// <param name="time">The clock for batching windows and request timeouts.</param>
    /// <param name="onBatch">Called with each batch's row count as it starts, for batch-size metrics; it must not throw.</param>
    /// <param name="name">How messages name the model version (for example <c>iris/3</c>); null says "the model".</param>
    /// <exception cref="FerryException">BATCHING_OPTIONS_INVALID when a setting is out of range.</exception>
    public BatchingPredictor(IPredictor inner, BatchingOptions options, TimeProvider time, Action<int>? onBatch = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _inner = inner;
        _options = options;
        _time = time;
        _onBatch = onBatch;
        _name = name is null ? "the model" : $"model '{name}'";
        _left = () => Interlocked.Decrement(ref _waiting);
        _queue = Channel.CreateBounded<BatchRequest>(new BoundedChannelOptions(options.MaxQueuedRequests) { SingleReader = true });
        _loop = options.Enabled ? Task.Run(() => RunAsync(_stop.Token)) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public ModelSignature Signature => _inner.Signature;

    /// <summary>The limits this predictor batches by.</summary>
    public BatchingOptions Options => _options;

    /// <summary>How many requests are waiting for their batch to start (not counting ones that timed out or were cancelled).</summary>
    public int QueueDepth => Volatile.Read(ref _waiting);

    /// <summary>Queues the rows for the next batch and returns their predictions once it has run.</summary>
    /// <param name="features">The caller's rows.</param>
    /// <param name="cancellationToken">Withdraws the caller's interest; a batch already running still finishes for the others.</param>
    /// <exception cref="FerryException">
    /// SERVER_BUSY at once when the queue is full; REQUEST_TIMEOUT when no answer came within the request timeout;
    /// MODEL_NOT_READY when the predictor was disposed first; INPUT_INVALID for the caller's own bad rows, numbered
    /// within its own table.
    /// </exception>
    public Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (Volatile.Read(ref _disposed) == 1)
        {
            return Task.FromException<Predictions>(Unloaded());
        }

        if (!_options.Enabled)
        {
            return _inner.PredictAsync(features, cancellationToken);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Predictions>(cancellationToken);
        }

        if (Interlocked.Increment(ref _waiting) > _options.MaxQueuedRequests)
        {
            Interlocked.Decrement(ref _waiting);
            return Task.FromException<Predictions>(Busy());
        }

        // Alone with an idle model and no window to wait for, a request is scored on its caller's thread: handing it to
        // the loop and back costs two thread switches, more than a row's prediction.
        if (_options.MaxWait == TimeSpan.Zero && Volatile.Read(ref _waiting) == 1 && _model.Wait(0, CancellationToken.None))
        {
            return PredictInlineAsync(features, cancellationToken);
        }

        var request = new BatchRequest(features, _time.GetTimestamp(), TimedOut, _options, _time, _left, cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            // Closed by Dispose, or still full of requests that timed out but have not been skipped yet.
            request.Fail(Volatile.Read(ref _disposed) == 1 ? Unloaded() : Busy());
        }

        return AnswerAsync(request);
    }

    /// <summary>
    /// Stops taking requests and fails the queued ones with MODEL_NOT_READY. The inner predictor is disposed by the loop
    /// once a batch already running has finished; <see cref="DisposeAsync"/> waits for that.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Close the queue before stopping the loop, so the loop's last drain sees every request that got in.
        _queue.Writer.TryComplete();
        _stop.Cancel();
        if (!_options.Enabled)
        {
            _inner.Dispose();
        }
    }

    /// <summary>Disposes as <see cref="Dispose"/> does and waits until the loop has stopped and the inner predictor is disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _loop;
        _stop.Dispose();
    }

    private async Task<Predictions> PredictInlineAsync(Table features, CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Decrement(ref _waiting);
            if (Volatile.Read(ref _disposed) == 1)
            {
                throw Unloaded();
            }

            _onBatch?.Invoke(features.RowCount);
            return await _inner.PredictAsync(features, cancellationToken).WaitAsync(_options.RequestTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw TimedOut();
        }
        finally
        {
            _model.Release();
        }
    }

    private static async Task<Predictions> AnswerAsync(BatchRequest request)
    {
        using (request)
        {
            return await request.Answer;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var reader = _queue.Reader;
        var batch = new List<BatchRequest>();
        BatchRequest? next = null;
        try
        {
            while (next is not null || await reader.WaitToReadAsync(stop))
            {
                if (next is null && !TryReadLive(reader, out next))
                {
                    continue;
                }

                batch.Add(next);
                next = await CollectAsync(batch, stop);
                await _model.WaitAsync(stop);
                try
                {
                    await RunBatchAsync(batch, stop);
                }
                finally
                {
                    _model.Release();
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: what is still queued is failed below.
        }
        finally
        {
            _queue.Writer.TryComplete();
            var unloaded = Unloaded();
            foreach (var request in batch)
            {
                request.Fail(unloaded);
            }

            next?.Fail(unloaded);
            while (reader.TryRead(out var request))
            {
                request.Fail(unloaded);
            }

            // A request scored on its caller's thread may still hold the model.
            await _model.WaitAsync(CancellationToken.None);
            _inner.Dispose();
        }
    }

    // Adds requests to the batch until it is full or the oldest has waited MaxWait; returns a request that could not
    // join (other columns, or too many rows), which starts the next batch.
    private async Task<BatchRequest?> CollectAsync(List<BatchRequest> batch, CancellationToken stop)
    {
        var reader = _queue.Reader;
        var first = batch[0];
        var rows = first.Rows;
        while (rows < _options.MaxBatchRows)
        {
            if (TryReadLive(reader, out var next))
            {
                if (!BatchTables.SameColumns(first.Features, next.Features) || rows + next.Rows > _options.MaxBatchRows)
                {
                    return next;
                }

                batch.Add(next);
                rows += next.Rows;
                continue;
            }

            var remaining = _options.MaxWait - _time.GetElapsedTime(first.Arrived);
            if (remaining <= TimeSpan.Zero || !await WaitForMoreAsync(reader, first.Arrived, remaining, stop))
            {
                break;
            }
        }

        return null;
    }

    // Waits until a request arrives or the window ends; false once the queue is closed.
    private async Task<bool> WaitForMoreAsync(ChannelReader<BatchRequest> reader, long since, TimeSpan remaining, CancellationToken stop)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var more = reader.WaitToReadAsync(wait.Token).AsTask();
        var window = Task.Delay(remaining, _time, wait.Token);

        // The clock may pass the window's end while the timer is being set (a test's fake clock can jump): check again.
        if (_time.GetElapsedTime(since) < _options.MaxWait)
        {
            await Task.WhenAny(more, window);
        }

        await wait.CancelAsync();
        stop.ThrowIfCancellationRequested();
        return !more.IsCompletedSuccessfully || await more;
    }

    private async Task RunBatchAsync(List<BatchRequest> batch, CancellationToken stop)
    {
        var live = new List<BatchRequest>(batch.Count);
        foreach (var request in batch)
        {
            // The timeout timer may lag the clock; a request past its time is not worth starting.
            if (_time.GetElapsedTime(request.Arrived) >= _options.RequestTimeout)
            {
                request.Expire();
            }

            if (request.TryStart())
            {
                live.Add(request);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        _onBatch?.Invoke(live.Sum(r => r.Rows));
        if (live.Count == 1)
        {
            await RunAloneAsync(live[0], stop);
            return;
        }

        Predictions predictions;
        try
        {
            predictions = await _inner.PredictAsync(BatchTables.Stack([.. live.Select(r => r.Features)]), stop);
        }
        catch (FerryException e) when (e.Kind == ErrorKind.InvalidInput && e.Location?.Line is not null)
        {
            // One caller's bad row fails the whole batch. Alone, each caller gets its own predictions or its own
            // error, with the row numbered within its own table.
            foreach (var request in live)
            {
                await RunAloneAsync(request, stop);
            }

            return;
        }
        catch (Exception e)
        {
            FailAll(live, Failure(e, stop));
            return;
        }

        Answer(live, predictions);
    }

    private async Task RunAloneAsync(BatchRequest request, CancellationToken stop)
    {
        if (request.Abandoned)
        {
            return;
        }

        try
        {
            request.Complete(await _inner.PredictAsync(request.Features, stop));
        }
        catch (Exception e)
        {
            request.Fail(Failure(e, stop));
        }
    }

    private static void Answer(List<BatchRequest> live, Predictions predictions)
    {
        var rows = live.Sum(r => r.Rows);
        if (predictions.Count != rows)
        {
            FailAll(live, new InvalidOperationException($"the model returned {predictions.Count} predictions for a batch of {rows} rows"));
            return;
        }

        var start = 0;
        foreach (var request in live)
        {
            request.Complete(BatchTables.Slice(predictions, start, request.Rows));
            start += request.Rows;
        }
    }

    private static void FailAll(List<BatchRequest> requests, Exception error)
    {
        foreach (var request in requests)
        {
            request.Fail(error);
        }
    }

    private static bool TryReadLive(ChannelReader<BatchRequest> reader, [NotNullWhen(true)] out BatchRequest? request)
    {
        // A request that timed out or was cancelled while queued has its answer and has left the count already.
        while (reader.TryRead(out request))
        {
            if (!request.Abandoned)
            {
                return true;
            }
        }

        return false;
    }

    private Exception Failure(Exception error, CancellationToken stop) =>
        error is OperationCanceledException && stop.IsCancellationRequested ? Unloaded() : error;

    private FerryException Busy() => FerryException.Unavailable(
        ServingErrors.ServerBusy,
        $"the request queue of {_name} is full ({_options.MaxQueuedRequests} requests waiting, its MaxQueuedRequests limit); retry shortly");

    private FerryException TimedOut() => FerryException.Unavailable(
        ServingErrors.Timeout,
        $"{_name} did not answer within the request timeout ({BatchingOptions.Describe(_options.RequestTimeout)}); retry, or raise RequestTimeout if the model is slow");

    private FerryException Unloaded() => FerryException.Unavailable(
        ServingErrors.ModelNotReady, $"{_name} was unloaded before it answered; retry");
}
