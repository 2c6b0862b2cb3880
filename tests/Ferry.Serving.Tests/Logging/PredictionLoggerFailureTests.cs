using Ferry.Serving.Logging;
using Ferry.Serving.Metrics;
using Ferry.Serving.Tests.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Ferry.Serving.Tests.Logging.LogTestKit;

namespace Ferry.Serving.Tests.Logging;

/// <summary>The logger when the store fails or hangs: real SQLite whose table is moved away or whose write lock is held.</summary>
public sealed class PredictionLoggerFailureTests
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_batch_the_store_refuses_is_retried_and_written_once_the_store_recovers()
    {
        await using var store = await TempLogStore.OpenAsync();
        var time = new FakeTimeProvider(Start);
        await using var logger = new PredictionLogger(store.Store, new PredictionLogOptions { MaxBatch = 3, RetryDelay = RetryDelay }, time);
        var records = await RecordsAsync("recovers", 3);
        await store.ExecuteAsync("ALTER TABLE prediction_log RENAME TO prediction_log_away");

        Assert.All(records, r => Assert.True(logger.TryLog(r)));
        await EventuallyAsync(() => logger.LastError is not null, what: "the first append to fail");
        await store.ExecuteAsync("ALTER TABLE prediction_log_away RENAME TO prediction_log");
        await EventuallyAsync(() => logger.Written == 3, time, RetryDelay);

        Assert.Equal(records.Select(r => r.RequestId), (await store.ReadAllAsync(records[0].Servable.Model)).Select(s => s.RequestId));
        Assert.Equal(0, logger.Dropped);
        Assert.IsType<SqliteException>(logger.LastError);
    }

    [Fact]
    public async Task A_batch_the_store_keeps_refusing_is_counted_dropped_and_the_logger_goes_on()
    {
        await using var store = await TempLogStore.OpenAsync();
        var time = new FakeTimeProvider(Start);
        var metrics = new ServingMetrics();
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { MaxBatch = 3, Retries = 2, RetryDelay = RetryDelay }, time, metrics);
        var records = await RecordsAsync("keeps-failing", 5);
        await store.ExecuteAsync("ALTER TABLE prediction_log RENAME TO prediction_log_away");

        Assert.All(records.Take(3), r => Assert.True(logger.TryLog(r)));
        await EventuallyAsync(() => logger.Dropped == 3, time, RetryDelay);
        await store.ExecuteAsync("ALTER TABLE prediction_log_away RENAME TO prediction_log");
        Assert.All(records.Skip(3), r => Assert.True(logger.TryLog(r)));
        await logger.DisposeAsync();

        Assert.Contains("prediction_log", logger.LastError!.Message, StringComparison.Ordinal);
        Assert.Equal((2, 3), (logger.Written, logger.Dropped));
        Assert.Equal(3, ExpositionText.Parse(metrics.Render()).Value("ferry_prediction_log_dropped_total"));
        Assert.Equal(records.Skip(3).Select(r => r.RequestId), (await store.ReadAllAsync(records[0].Servable.Model)).Select(s => s.RequestId));
    }

    [Fact]
    public async Task Dispose_gives_up_after_its_timeout_when_the_store_hangs_and_counts_what_was_left()
    {
        await using var store = await TempLogStore.OpenAsync();
        var time = new FakeTimeProvider(Start);
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { MaxBatch = 1, DisposeTimeout = TimeSpan.FromSeconds(5) }, time);
        var records = await RecordsAsync("hangs", 3);
        await using var locker = await store.ConnectAsync();
        var locked = await locker.BeginTransactionAsync();

        Assert.All(records, r => Assert.True(logger.TryLog(r)));
        var disposing = logger.DisposeAsync().AsTask();
        await EventuallyAsync(() => disposing.IsCompleted, time, TimeSpan.FromSeconds(1), "DisposeAsync to time out");
        await disposing;
        var writtenWhileLocked = logger.Written;
        await locked.RollbackAsync();
        await locked.DisposeAsync();
        await EventuallyAsync(() => logger.Dropped == 3, what: "the abandoned records to be counted");

        Assert.Equal(0, writtenWhileLocked);
        Assert.Equal(0, logger.Written);
        Assert.Empty(await store.ReadAllAsync(records[0].Servable.Model));
    }

    [Theory]
    [InlineData("sample rate", -0.1, 10, 1, 1)]
    [InlineData("sample rate", 1.5, 10, 1, 1)]
    [InlineData("capacity", 1, 0, 1, 1)]
    [InlineData("max batch", 1, 10, 0, 1)]
    [InlineData("flush interval", 1, 10, 1, 0)]
    public async Task Options_out_of_range_are_refused_naming_the_option(string name, double rate, int capacity, int maxBatch, int flushSeconds)
    {
        await using var store = await TempLogStore.OpenAsync();
        var options = new PredictionLogOptions { SampleRate = rate, Capacity = capacity, MaxBatch = maxBatch, FlushInterval = TimeSpan.FromSeconds(flushSeconds) };

        var error = Assert.Throws<FerryException>(() => new PredictionLogger(store.Store, options, TimeProvider.System));

        Assert.Equal(PredictionLogOptions.InvalidCode, error.Code);
        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_keeps_about_its_share_of_request_ids_and_decides_the_same_for_the_same_id()
    {
        var ids = Enumerable.Range(0, 4000).Select(_ => Guid.NewGuid().ToString()).ToList();
        // Sequential ids, as a client may send, must spread as well as random ones.
        var sequential = Enumerable.Range(0, 4000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        foreach (var set in new[] { ids, sequential })
        {
            var kept = set.Count(id => RequestSampling.IsSampled(id, 0.3));
            Assert.InRange((double)kept, 0.25 * set.Count, 0.35 * set.Count);
            Assert.All(set, id => Assert.Equal(RequestSampling.IsSampled(id, 0.3), RequestSampling.IsSampled(id, 0.3)));
            Assert.All(set.Where(id => RequestSampling.IsSampled(id, 0.3)), id => Assert.True(RequestSampling.IsSampled(id, 0.6)));
        }
    }

    private static async Task<List<PredictionRecord>> RecordsAsync(string prefix, int count)
    {
        var (rows, answers, predictor) = await PenguinsAsync();
        predictor.Dispose();
        var model = prefix + "-" + Guid.NewGuid().ToString("N");
        return [.. Enumerable.Range(0, count).Select(i => new PredictionRecord($"{prefix}-{i}", new ServableId(model, 1), Start.AddMilliseconds(i), 2, rows, answers))];
    }
}
