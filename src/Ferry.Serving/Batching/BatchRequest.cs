using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Batching;

/// <summary>
/// One caller's rows waiting in a <see cref="BatchingPredictor"/>'s queue, and the promise of their answer. The answer is
/// settled once, by whichever comes first: the batch's result, the request's timeout or the caller's cancellation.
/// </summary>
internal sealed class BatchRequest : IDisposable
{
    private readonly TaskCompletionSource<Predictions> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _left;
    private readonly Func<FerryException> _timeout;
    private readonly CancellationTokenSource _deadline;
    private CancellationTokenRegistration _onDeadline;
    private CancellationTokenRegistration _onCancel;
    private int _waiting = 1;

    /// <summary>Queues nothing yet: arms the timeout and the caller's cancellation.</summary>
    /// <param name="features">The caller's rows.</param>
    /// <param name="arrived">The clock's timestamp at arrival.</param>
    /// <param name="timeout">A factory of the timeout error, called at most once.</param>
    /// <param name="options">The limits.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    /// <param name="left">Called once when the request stops waiting (started, timed out or cancelled).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public BatchRequest(Table features, long arrived, Func<FerryException> timeout, BatchingOptions options, TimeProvider time, Action left, CancellationToken cancellationToken)
    {
        Features = features;
        Arrived = arrived;
        _left = left;
        _timeout = timeout;
        _deadline = new CancellationTokenSource(options.RequestTimeout, time);
        _onDeadline = _deadline.Token.Register(Expire);
        _onCancel = cancellationToken.Register(() =>
        {
            if (_answer.TrySetCanceled(cancellationToken))
            {
                Leave();
            }
        });
    }

    /// <summary>The caller's rows.</summary>
    public Table Features { get; }

    /// <summary>How many rows the caller sent.</summary>
    public int Rows => Features.RowCount;

    /// <summary>The clock's timestamp when the request arrived.</summary>
    public long Arrived { get; }

    /// <summary>The caller's answer.</summary>
    public Task<Predictions> Answer => _answer.Task;

    /// <summary>Whether the caller has its answer already (timed out, cancelled or failed), so running its rows is waste.</summary>
    public bool Abandoned => _answer.Task.IsCompleted;

    /// <summary>Marks the request as started if nobody is waiting for it any more; false when it was abandoned.</summary>
    public bool TryStart()
    {
        if (Abandoned)
        {
            return false;
        }

        Leave();
        return true;
    }

    /// <summary>Fails the caller with the timeout error (the clock's timer does so too; the queue checks before starting).</summary>
    public void Expire() => Fail(_timeout());

    /// <summary>Answers the caller (ignored if the caller has gone).</summary>
    public void Complete(Predictions predictions) => _answer.TrySetResult(predictions);

    /// <summary>Fails the caller with <paramref name="error"/> (ignored if the caller has an answer already).</summary>
    public void Fail(Exception error)
    {
        if (_answer.TrySetException(error))
        {
            Leave();
        }
    }

    /// <summary>Releases the timer and the caller's registration once the caller has its answer.</summary>
    public void Dispose()
    {
        _onDeadline.Dispose();
        _onCancel.Dispose();
        _deadline.Dispose();
    }

    // A request leaves the queue exactly once, whichever of start, timeout, cancellation or shutdown comes first.
    private void Leave()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _left();
        }
    }
}
