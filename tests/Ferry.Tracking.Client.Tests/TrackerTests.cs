using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Tracking.Client.Tests;

public sealed class TrackerTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-client");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private SqliteTrackingStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteTrackingStore.OpenAsync(Path.Combine(_folder.FullName, "ferry.db"),
            new TrackingStoreOptions { ArtifactRoot = Path.Combine(_folder.FullName, "artifacts") }, _time, CancellationToken.None);

    private Tracker NewTracker() => new(_store, _time, new TrackerOptions { FlushInterval = TimeSpan.FromSeconds(1), UserId = "ana", GitCommit = "abc123" });

    [Fact]
    public async Task Everything_logged_is_written_in_batches_within_the_limits_and_the_run_ends_finished()
    {
        string runId;
        await using (var run = await NewTracker().StartRunAsync("churn", "first"))
        {
            runId = run.RunId;
            for (var i = 0; i < 2500; i++)
            {
                run.LogMetric("loss", 1.0 / (i + 1), step: i);
            }

            for (var i = 0; i < 150; i++)
            {
                run.LogParam($"p{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                run.SetTag($"t{i}", "x");
            }

            run.LogParam("p0", "0"); // the same value again is fine
        }

        var stored = await _store.GetRunAsync(runId, CancellationToken.None);
        Assert.Equal(RunStatus.Finished, stored.Info.Status);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), stored.Info.EndTime);
        Assert.Equal(150, stored.Data.Params.Count);
        Assert.Contains(new RunTag("t149", "x"), stored.Data.Tags);
        Assert.Contains(new RunTag("mlflow.user", "ana"), stored.Data.Tags);
        Assert.Contains(new RunTag("mlflow.source.git.commit", "abc123"), stored.Data.Tags);
        var history = await _store.GetMetricHistoryAsync(runId, "loss", CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(m => m.Step).Order());
    }

    [Fact]
    public async Task Entries_are_written_in_the_background_when_the_flush_interval_passes()
    {
        await using var run = await NewTracker().StartRunAsync("churn");
        run.LogMetric("acc", 0.5);
        run.LogParam("learner", "tree");

        _time.Advance(TimeSpan.FromSeconds(1));
        var written = await WaitUntilAsync(async () => (await _store.GetRunAsync(run.RunId, CancellationToken.None)).Data.Params.Count == 1);
        Assert.True(written, "the background writer did not write within 10 s of the flush interval passing");
        Assert.Equal([0.5], (await _store.GetMetricHistoryAsync(run.RunId, "acc", CancellationToken.None)).Select(m => m.Value));
    }

    [Fact]
    public async Task A_full_batch_is_written_without_waiting_for_the_interval()
    {
        await using var run = await NewTracker().StartRunAsync("churn");
        for (var i = 0; i < 1000; i++)
        {
            run.LogMetric("loss", i, step: i);
        }

        var written = await WaitUntilAsync(async () => (await _store.GetMetricHistoryAsync(run.RunId, "loss", CancellationToken.None)).Count == 1000);
        Assert.True(written, "a full batch was not written although no time passed");
    }

    [Fact]
    public async Task Changing_a_param_throws_where_it_is_logged()
    {
        await using var run = await NewTracker().StartRunAsync("churn");
        run.LogParam("lr", "0.1");
        var error = Assert.Throws<FerryException>(() => run.LogParam("lr", "0.2"));
        Assert.Equal(TrackingErrors.InvalidParameterValue, error.Code);
        Assert.Contains("'lr'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_the_store_refuses_is_reported_and_the_run_ends_failed()
    {
        var run = await NewTracker().StartRunAsync("churn");
        run.LogMetric("ok", 1);
        await run.FlushAsync();
        run.LogMetric(new string('k', TrackingLimits.MaxKeyLength + 1), 1);

        var error = await Assert.ThrowsAsync<FerryException>(() => run.DisposeAsync().AsTask());
        Assert.Equal(TrackingErrors.InvalidParameterValue, error.Code);
        Assert.Equal(RunStatus.Failed, (await _store.GetRunAsync(run.RunId, CancellationToken.None)).Info.Status);
        Assert.Throws<InvalidOperationException>(() => run.LogMetric("late", 1));
    }

    [Fact]
    public async Task Nested_runs_point_to_their_parent_and_share_the_experiment()
    {
        var tracker = NewTracker();
        await using var search = await tracker.StartRunAsync("automl", "search");
        await using var trial = await tracker.StartRunAsync("automl", "trial-1", parent: search);
        Assert.Equal(search.Info.ExperimentId, trial.Info.ExperimentId);
        var stored = await _store.GetRunAsync(trial.RunId, CancellationToken.None);
        Assert.Contains(new RunTag("mlflow.parentRunId", search.RunId), stored.Data.Tags);
    }

    [Fact]
    public async Task Eight_concurrent_loggers_on_one_run_lose_nothing()
    {
        string runId;
        await using (var run = await NewTracker().StartRunAsync("churn"))
        {
            runId = run.RunId;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    run.LogMetric($"w{w}", i, step: i);
                }
            })));
        }

        for (var w = 0; w < 8; w++)
        {
            Assert.Equal(1000, (await _store.GetMetricHistoryAsync(runId, $"w{w}", CancellationToken.None)).Count);
        }
    }

    [Fact]
    public async Task Artifacts_go_to_the_runs_artifact_location()
    {
        var file = Path.Combine(_folder.FullName, "model.txt");
        await File.WriteAllTextAsync(file, "weights");
        var dir = Directory.CreateDirectory(Path.Combine(_folder.FullName, "report"));
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "index.html"), "<p>ok</p>");

        await using var run = await NewTracker().StartRunAsync("churn");
        await run.LogArtifactAsync(file);
        await run.LogArtifactAsync(dir.FullName, "reports");

        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(run.Info.ArtifactUri, "model.txt")));
        Assert.True(File.Exists(Path.Combine(run.Info.ArtifactUri, "reports", "report", "index.html")));
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        // Waits for the background writer (real work on another thread), not for time: the clock is fake.
        for (var i = 0; i < 1000; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
