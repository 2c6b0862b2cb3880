using System.Collections.Concurrent;

namespace Ferry.Serving.Management;

/// <summary>
/// Runs model loads on a few dedicated threads of their own, so that deserialising and warming a large model never
/// takes a thread-pool thread from the requests being served meanwhile.
/// </summary>
internal sealed class LoaderScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public LoaderScheduler(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = [.. Enumerable.Range(0, threads).Select(i => new Thread(Work) { IsBackground = true, Name = $"ferry-loader-{i + 1}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Runs <paramref name="load"/> on a loader thread (its synchronous parts; continuations after awaits stay on loader threads too).</summary>
    public Task<T> Run<T>(Func<Task<T>> load, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(load, cancellationToken, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.CompleteAdding();
        _queue.Dispose();
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task) => _queue.Add(task);

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _threads.Contains(Thread.CurrentThread) && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => [.. _queue];

    private void Work()
    {
        try
        {
            foreach (var task in _queue.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while waiting: the manager is stopping.
        }
    }
}
