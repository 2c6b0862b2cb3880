namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Counts the trials still running. The scheduler stops waiting for cancelled trials after a short grace; the
/// image search waits here a little longer, so the refit and packaging do not share libtorch with a fit that is
/// still winding down (a CNN fit stops within one batch of being cancelled).
/// </summary>
internal sealed class RunningTrials
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource _idle = Idle();

    /// <summary>Marks a trial as running until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        lock (_lock)
        {
            if (_count++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return new Scope(this);
    }

    /// <summary>Completes when no trial is running, or after <paramref name="limit"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan limit, TimeProvider time)
    {
        Task idle;
        lock (_lock)
        {
            idle = _idle.Task;
        }

        await Task.WhenAny(idle, Task.Delay(limit, time));
    }

    private void Leave()
    {
        TaskCompletionSource? done = null;
        lock (_lock)
        {
            if (--_count == 0)
            {
                done = _idle;
            }
        }

        done?.TrySetResult();
    }

    private static TaskCompletionSource Idle()
    {
        var idle = new TaskCompletionSource();
        idle.SetResult();
        return idle;
    }

    /// <summary>One running trial.</summary>
    public readonly struct Scope(RunningTrials owner) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => owner.Leave();
    }
}
