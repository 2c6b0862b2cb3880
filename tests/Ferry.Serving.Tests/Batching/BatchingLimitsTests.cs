using System.Collections.Concurrent;
using Ferry.Learn;
using Ferry.Serving.Batching;
using Microsoft.Extensions.Time.Testing;
using static Ferry.Serving.Tests.Batching.Batches;

namespace Ferry.Serving.Tests.Batching;

/// <summary>The queue's limits: a full queue, timeouts, cancellation and shutdown, on a real trained package.</summary>
public sealed class BatchingLimitsTests
{
    // Long enough that a batch never closes on time unless a test moves the fake clock that far.
    private static readonly TimeSpan Held = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_SERVER_BUSY_naming_the_limit_and_accepts_again_once_drained()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var clock = new FakeTimeProvider();
        var options = new BatchingOptions { MaxQueuedRequests = 2, MaxWait = Held, RequestTimeout = TimeSpan.FromMinutes(5) };
        await using var batching = new BatchingPredictor(await LoadAsync(package), options, clock, name: "breast_cancer/1");

        var queued = Enumerable.Range(0, 2).Select(i => batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None)).ToArray();
        var refused = batching.PredictAsync(Row(package.TestRows, 2), CancellationToken.None);

        Assert.True(refused.IsFaulted);
        var error = await AssertFailsAsync(refused, ServingErrors.ServerBusy);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("2 requests", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxQueuedRequests", error.Message, StringComparison.Ordinal);
        Assert.Contains("breast_cancer/1", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, batching.QueueDepth);

        clock.Advance(Held);
        await Soon(Task.WhenAll(queued));
        var again = batching.PredictAsync(Row(package.TestRows, 2), CancellationToken.None);
        clock.Advance(Held);
        Assert.Equal(1, (await Soon(again)).Count);
    }

    [Fact]
    public async Task A_request_waiting_past_RequestTimeout_fails_with_REQUEST_TIMEOUT_and_never_runs()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var clock = new FakeTimeProvider();
        var batches = new ConcurrentQueue<int>();
        var options = new BatchingOptions { MaxBatchRows = 2, MaxWait = Held, RequestTimeout = TimeSpan.FromSeconds(1) };
        await using var batching = new BatchingPredictor(await LoadAsync(package), options, clock, batches.Enqueue);

        var late = batching.PredictAsync(Row(package.TestRows, 0), CancellationToken.None);
        clock.Advance(options.RequestTimeout);

        var error = await AssertFailsAsync(late, ServingErrors.Timeout);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("1 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, batching.QueueDepth);

        // Two rows fill a batch without the clock; the timed-out row must not ride along.
        var next = await Soon(batching.PredictAsync(Rows(package.TestRows, 1, 2), CancellationToken.None));
        Assert.Equal(2, next.Count);
        Assert.Equal([2], batches);
    }

    [Fact]
    public async Task A_cancelled_caller_leaves_the_queue_and_the_others_batch_without_it()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var clock = new FakeTimeProvider();
        var batches = new ConcurrentQueue<int>();
        await using var batching = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = Held, RequestTimeout = TimeSpan.FromMinutes(5) }, clock, batches.Enqueue);
        using var leaving = new CancellationTokenSource();

        var staying = batching.PredictAsync(Row(package.TestRows, 0), CancellationToken.None);
        var cancelled = batching.PredictAsync(Row(package.TestRows, 1), leaving.Token);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Soon(cancelled));
        Assert.Equal(1, batching.QueueDepth);
        clock.Advance(Held);
        Assert.Equal(1, (await Soon(staying)).Count);
        Assert.Equal([1], batches);
    }

    [Fact]
    public async Task Dispose_fails_queued_requests_with_Unavailable_refuses_new_ones_and_disposes_the_inner_predictor()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var clock = new FakeTimeProvider();

        // The inner predictor is itself a real batching predictor (answering at once), because it shows its disposal:
        // an ML.NET predictor keeps answering after Dispose.
        var inner = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = TimeSpan.Zero }, new FakeTimeProvider());
        var batching = new BatchingPredictor(inner, new BatchingOptions { MaxWait = Held }, clock);
        Assert.Equal(1, (await Soon(inner.PredictAsync(Row(package.TestRows, 0), CancellationToken.None))).Count);

        var pending = Enumerable.Range(0, 3).Select(i => batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None)).ToArray();
        await batching.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));

        foreach (var call in pending)
        {
            var error = await AssertFailsAsync(call, ServingErrors.ModelNotReady);
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
        }

        Assert.Equal(0, batching.QueueDepth);
        await AssertFailsAsync(batching.PredictAsync(Row(package.TestRows, 0), CancellationToken.None), ServingErrors.ModelNotReady);
        await AssertFailsAsync(inner.PredictAsync(Row(package.TestRows, 0), CancellationToken.None), ServingErrors.ModelNotReady);
    }
}
