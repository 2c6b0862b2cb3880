using System.Text.Json;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Serving.Logging;
using Ferry.Serving.Metrics;
using Ferry.Serving.Tests.Metrics;
using Ferry.Tracking.Predictions;
using Microsoft.Extensions.Time.Testing;
using static Ferry.Serving.Tests.Logging.LogTestKit;

namespace Ferry.Serving.Tests.Logging;

public sealed class PredictionLoggerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Real_predictions_are_written_as_json_rows_and_answers_once_the_flush_interval_passes()
    {
        await using var store = await TempLogStore.OpenAsync();
        var (rows, answers, predictor) = await PenguinsAsync();
        using var _ = predictor;
        var time = new FakeTimeProvider(Start);
        var model = "penguins-" + Guid.NewGuid().ToString("N");
        await using var logger = new PredictionLogger(store.Store, new PredictionLogOptions { FlushInterval = TimeSpan.FromSeconds(2) }, time);
        var records = new List<PredictionRecord> { new("bulk", new ServableId(model, 1), Start, 12.5, rows, answers) };
        for (var i = 0; i < 3; i++)
        {
            var one = rows.SelectRows([i]);
            records.Add(new PredictionRecord($"one-{i}", new ServableId(model, 1), Start.AddSeconds(i), 1.25 + i, one, await predictor.PredictAsync(one, None)));
        }

        records.Add(records[1] with { Servable = new ServableId(model, 2), LatencyMs = 3, Shadow = true });

        Assert.All(records, r => Assert.True(logger.TryLog(r)));
        await EventuallyAsync(() => logger.Written == records.Count, time, TimeSpan.FromSeconds(2));

        var stored = await store.ReadAllAsync(model);
        Assert.Equal(records.Count, stored.Count);
        foreach (var record in records)
        {
            var logged = Assert.Single(stored, s => s.RequestId == record.RequestId && s.Shadow == record.Shadow);
            Assert.Equal((record.Servable.Version, record.At.ToUnixTimeMilliseconds(), record.LatencyMs), (logged.Version, logged.At, logged.LatencyMs));
            AssertInputs(record.Inputs, logged.InputsJson);
            AssertOutputs(record.Outputs, logged.OutputsJson);
        }

        Assert.Equal(0, logger.Dropped);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public async Task Sampling_at_zero_writes_nothing_and_at_one_writes_everything(double rate)
    {
        await using var store = await TempLogStore.OpenAsync();
        var (rows, answers, predictor) = await PenguinsAsync();
        predictor.Dispose();
        var model = "sampled-" + Guid.NewGuid().ToString("N");
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { SampleRate = rate }, new FakeTimeProvider(Start));

        var queued = Enumerable.Range(0, 40)
            .Select(i => logger.TryLog(new PredictionRecord(Guid.NewGuid().ToString(), new ServableId(model, 1), Start, 1, rows, answers, Shadow: i % 4 == 0)))
            .ToList();
        await logger.DisposeAsync();

        Assert.All(queued, q => Assert.Equal(rate == 1, q));
        Assert.Equal(rate == 1 ? 40 : 0, (await store.ReadAllAsync(model)).Count);
        Assert.Equal((rate == 1 ? 40 : 0, 0), (logger.Written, logger.Dropped));
    }

    [Fact]
    public async Task A_sampled_request_keeps_its_shadow_records_and_a_skipped_one_loses_them()
    {
        await using var store = await TempLogStore.OpenAsync();
        var (rows, answers, predictor) = await PenguinsAsync();
        predictor.Dispose();
        var model = "half-" + Guid.NewGuid().ToString("N");
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { SampleRate = 0.5 }, new FakeTimeProvider(Start));
        var one = rows.SelectRows([0]);
        var live = Enumerable.Range(0, 400).Select(_ => new PredictionRecord(Guid.NewGuid().ToString(), new ServableId(model, 1), Start, 1, one, answers)).ToList();

        var decisions = live.Select(r => (Live: logger.TryLog(r), Shadow: logger.TryLog(r with { Servable = new ServableId(model, 2), Shadow = true }))).ToList();
        await logger.DisposeAsync();

        Assert.All(decisions, d => Assert.Equal(d.Live, d.Shadow));
        Assert.InRange(decisions.Count(d => d.Live), 140, 260);
        var stored = await store.ReadAllAsync(model);
        Assert.All(stored.GroupBy(s => s.RequestId), g => Assert.Equal([false, true], g.Select(s => s.Shadow).Order()));
        Assert.Equal(2 * decisions.Count(d => d.Live), stored.Count);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_new_records_without_blocking_the_caller()
    {
        await using var store = await TempLogStore.OpenAsync();
        var (rows, answers, predictor) = await PenguinsAsync();
        predictor.Dispose();
        var model = "full-" + Guid.NewGuid().ToString("N");
        var metrics = new ServingMetrics();
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { Capacity = 4, MaxBatch = 1 }, new FakeTimeProvider(Start), metrics);
        const int Records = 30;

        // Another writer holds the database's write lock, so the loop's first append waits and the queue fills.
        await using var locker = await store.ConnectAsync();
        await using var locked = await locker.BeginTransactionAsync();
        var queued = await Task.Run(() => Enumerable.Range(0, Records)
            .Select(i => logger.TryLog(new PredictionRecord($"r{i}", new ServableId(model, 1), Start, 1, rows, answers)))
            .ToList()).WaitAsync(TimeSpan.FromSeconds(60));
        await locked.RollbackAsync();
        await logger.DisposeAsync();

        var accepted = queued.Count(q => q);
        Assert.InRange(accepted, 4, 5);
        Assert.Equal(Records - accepted, logger.Dropped);
        Assert.Equal(logger.Dropped, ExpositionText.Parse(metrics.Render()).Value("ferry_prediction_log_dropped_total"));
        Assert.Equal(accepted, (await store.ReadAllAsync(model)).Count);
    }

    [Fact]
    public async Task Dispose_writes_what_is_queued_without_waiting_for_the_flush_interval_and_later_records_are_dropped()
    {
        await using var store = await TempLogStore.OpenAsync();
        var (rows, answers, predictor) = await PenguinsAsync();
        predictor.Dispose();
        var model = "flush-" + Guid.NewGuid().ToString("N");
        var logger = new PredictionLogger(store.Store, new PredictionLogOptions { FlushInterval = TimeSpan.FromHours(1) }, new FakeTimeProvider(Start));

        for (var i = 0; i < 50; i++)
        {
            Assert.True(logger.TryLog(new PredictionRecord($"r{i}", new ServableId(model, 3), Start.AddMilliseconds(i), 1, rows, answers)));
        }

        await logger.DisposeAsync();
        var late = logger.TryLog(new PredictionRecord("late", new ServableId(model, 3), Start, 1, rows, answers));

        var stored = await store.ReadAllAsync(model);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}"), stored.Select(s => s.RequestId));
        Assert.False(late);
        Assert.Equal((50, 1), (logger.Written, logger.Dropped));
    }

    private static void AssertInputs(Table table, string json)
    {
        using var document = JsonDocument.Parse(json);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(table.RowCount, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(table.Columns.Select(c => c.Name), rows[r].EnumerateObject().Select(p => p.Name));
            foreach (var column in table.Columns)
            {
                var cell = rows[r].GetProperty(column.Name);
                if (column.IsMissing(r))
                {
                    Assert.Equal(JsonValueKind.Null, cell.ValueKind);
                }
                else if (column is NumericColumn numbers)
                {
                    Assert.Equal(numbers[r], cell.GetDouble());
                }
                else
                {
                    Assert.Equal(column.GetText(r), cell.GetString());
                }
            }
        }
    }

    private static void AssertOutputs(Predictions predictions, string json)
    {
        using var document = JsonDocument.Parse(json);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(predictions.Count, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(predictions.Labels![r], rows[r].GetProperty("label").GetString());
            var probabilities = rows[r].GetProperty("probabilities").EnumerateObject().ToList();
            Assert.Equal(predictions.Classes, probabilities.Select(p => p.Name));
            Assert.Equal(predictions.Probabilities![r], probabilities.Select(p => p.Value.GetSingle()));
        }
    }
}
