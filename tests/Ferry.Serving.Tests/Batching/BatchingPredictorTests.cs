using System.Collections.Concurrent;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Learn.Features;
using Ferry.Serving.Batching;
using Microsoft.Extensions.Time.Testing;
using static Ferry.Serving.Tests.Batching.Batches;

namespace Ferry.Serving.Tests.Batching;

/// <summary>How requests are merged into batches and how the answers are cut back, on real trained packages.</summary>
public sealed class BatchingPredictorTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);

    [Theory]
    [InlineData("breast_cancer")]
    [InlineData("diabetes")]
    public async Task Concurrent_single_rows_share_batches_and_get_the_models_own_predictions(string sample)
    {
        var package = await ServingPackages.GetAsync(sample);
        using var reference = await LoadAsync(package);
        var clock = new FakeTimeProvider();
        var batches = new ConcurrentQueue<int>();
        await using var batching = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = Window }, clock, batches.Enqueue);
        const int count = 12;

        var calls = new Task<Predictions>[count];
        Parallel.For(0, count, i => calls[i] = batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None));
        Assert.Equal(count, batching.QueueDepth);
        clock.Advance(Window);
        var answers = await Soon(Task.WhenAll(calls));

        var expected = await reference.PredictAsync(Rows(package.TestRows, 0, count), CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(1, answers[i].Count);
            AssertSame(expected, i, answers[i]);
        }

        Assert.Equal(count, batches.Sum());
        Assert.True(batches.Max() > 1, $"batches: {string.Join(", ", batches)}");
        Assert.Equal(0, batching.QueueDepth);
    }

    [Fact]
    public async Task A_batch_closes_at_MaxBatchRows_without_the_clock_and_a_larger_request_runs_alone_and_whole()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var reference = await LoadAsync(package);
        var batches = new ConcurrentQueue<int>();
        var options = new BatchingOptions { MaxBatchRows = 4, MaxWait = TimeSpan.FromMinutes(1) };
        await using var batching = new BatchingPredictor(await LoadAsync(package), options, new FakeTimeProvider(), batches.Enqueue);

        var singles = Enumerable.Range(0, 4).Select(i => batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None)).ToArray();
        await Soon(Task.WhenAll(singles));
        var large = await Soon(batching.PredictAsync(Rows(package.TestRows, 4, 6), CancellationToken.None));

        Assert.Equal([4, 6], batches);
        var expected = await reference.PredictAsync(Rows(package.TestRows, 0, 10), CancellationToken.None);
        Assert.Equal(6, large.Count);
        AssertSame(expected, 4, large);
        for (var i = 0; i < 4; i++)
        {
            AssertSame(expected, i, await singles[i]);
        }
    }

    [Fact]
    public async Task A_partial_batch_runs_once_the_clock_passes_MaxWait()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var batches = new ConcurrentQueue<int>();
        var clock = new FakeTimeProvider();
        await using var batching = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = Window }, clock, batches.Enqueue);

        var calls = Enumerable.Range(0, 3).Select(i => batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None)).ToArray();
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        clock.Advance(Window);
        await Soon(Task.WhenAll(calls));

        Assert.Equal([3], batches);
    }

    [Fact]
    public async Task MaxWait_zero_runs_whatever_is_queued_without_the_clock()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var batches = new ConcurrentQueue<int>();
        await using var batching = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = TimeSpan.Zero }, new FakeTimeProvider(), batches.Enqueue);

        var calls = Enumerable.Range(0, 5).Select(i => batching.PredictAsync(Row(package.TestRows, i), CancellationToken.None)).ToArray();
        await Soon(Task.WhenAll(calls));

        Assert.Equal(5, batches.Sum());
    }

    [Fact]
    public async Task A_lone_request_on_an_idle_model_is_answered_on_its_callers_thread_unless_a_window_is_set()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        var batches = new ConcurrentQueue<int>();
        await using var direct = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = TimeSpan.Zero }, new FakeTimeProvider(), batches.Enqueue);
        await using var windowed = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = Window }, new FakeTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            // Answered before PredictAsync returns: no hand-over to the batching loop.
            var call = direct.PredictAsync(Row(package.TestRows, i), CancellationToken.None);
            Assert.True(call.IsCompletedSuccessfully);
            AssertSame(await LoadedPredictionAsync(package, i), 0, await call);
        }

        Assert.Equal([1, 1, 1], batches);
        Assert.False(windowed.PredictAsync(Row(package.TestRows, 0), CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_bad_value_fails_only_its_own_request_naming_its_own_row_while_the_rest_of_the_batch_succeeds()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var reference = await LoadAsync(package);
        var batches = new ConcurrentQueue<int>();
        var options = new BatchingOptions { MaxBatchRows = 4, MaxWait = TimeSpan.FromMinutes(1) };
        await using var batching = new BatchingPredictor(await LoadAsync(package), options, new FakeTimeProvider(), batches.Enqueue);
        var column = package.TestRows.Columns[0].Name;
        var bad = WithText(Row(package.TestRows, 2), column, "not a number");

        var calls = Enumerable.Range(0, 4)
            .Select(i => batching.PredictAsync(i == 2 ? bad : Row(package.TestRows, i), CancellationToken.None))
            .ToArray();

        var error = await AssertFailsAsync(calls[2], InputErrors.Code);
        Assert.Equal(1, error.Location?.Line);
        Assert.Equal(column, error.Location?.Column);
        Assert.Contains("row 1 ", error.Message, StringComparison.Ordinal);
        var expected = await reference.PredictAsync(Rows(package.TestRows, 0, 4), CancellationToken.None);
        foreach (var i in new[] { 0, 1, 3 })
        {
            AssertSame(expected, i, await Soon(calls[i]));
        }

        Assert.Equal([4], batches);
    }

    [Fact]
    public async Task A_number_sent_as_text_by_one_caller_still_shares_the_batch_and_predicts_the_same()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var reference = await LoadAsync(package);
        var batches = new ConcurrentQueue<int>();
        var options = new BatchingOptions { MaxBatchRows = 3, MaxWait = TimeSpan.FromMinutes(1) };
        await using var batching = new BatchingPredictor(await LoadAsync(package), options, new FakeTimeProvider(), batches.Enqueue);
        var column = package.TestRows.Columns[0].Name;
        var typed = Row(package.TestRows, 1);
        var asText = WithText(typed, column, typed[column].GetText(0));

        var calls = new[] { Row(package.TestRows, 0), asText, Row(package.TestRows, 2) }
            .Select(t => batching.PredictAsync(t, CancellationToken.None))
            .ToArray();
        var answers = await Soon(Task.WhenAll(calls));

        var expected = await reference.PredictAsync(Rows(package.TestRows, 0, 3), CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            AssertSame(expected, i, answers[i]);
        }

        Assert.Equal([3], batches);
    }

    [Fact]
    public async Task Requests_with_other_columns_run_in_their_own_batch_and_both_succeed()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var reference = await LoadAsync(package);
        var batches = new ConcurrentQueue<int>();
        var clock = new FakeTimeProvider();
        await using var batching = new BatchingPredictor(await LoadAsync(package), new BatchingOptions { MaxWait = Window }, clock, batches.Enqueue);
        var plain = Row(package.TestRows, 0);
        var extra = new Table([.. Row(package.TestRows, 1).Columns, StringColumn.FromValues("note", ["ignored by the model"])]);

        var calls = new[] { plain, extra }.Select(t => batching.PredictAsync(t, CancellationToken.None)).ToArray();
        clock.Advance(Window);
        var answers = await Soon(Task.WhenAll(calls));

        var expected = await reference.PredictAsync(Rows(package.TestRows, 0, 2), CancellationToken.None);
        AssertSame(expected, 0, answers[0]);
        AssertSame(expected, 1, answers[1]);
        Assert.Equal([1, 1], batches);
    }

    [Fact]
    public async Task Disabled_batching_calls_the_model_directly()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var reference = await LoadAsync(package);
        var batches = new ConcurrentQueue<int>();
        var inner = await LoadAsync(package);
        await using var batching = new BatchingPredictor(inner, new BatchingOptions { Enabled = false, MaxWait = TimeSpan.FromMinutes(1) }, new FakeTimeProvider(), batches.Enqueue);

        var answer = await Soon(batching.PredictAsync(Rows(package.TestRows, 0, 3), CancellationToken.None));

        AssertSame(await reference.PredictAsync(Rows(package.TestRows, 0, 3), CancellationToken.None), 0, answer);
        Assert.Empty(batches);
        Assert.Same(inner.Signature, batching.Signature);
    }

    // The row with one column replaced by a text column holding value.
    private static Table WithText(Table row, string column, string? value) =>
        new(row.Columns.Select(c => c.Name == column ? StringColumn.FromValues(column, [value]) : c));

    private static async Task<Predictions> LoadedPredictionAsync(ServingPackage package, int row)
    {
        using var predictor = await LoadAsync(package);
        return await predictor.PredictAsync(Row(package.TestRows, row), CancellationToken.None);
    }
}
