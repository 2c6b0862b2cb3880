using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ferry.Tracking.Client.Remote;
using Ferry.Tracking.Model;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Tracking.Client.Tests.Remote;

/// <summary>
/// <see cref="Tracker.ForServer"/> against a real <c>ferry server</c>: what a remote run logs is read back from the
/// server's own SQLite file and artifact folder, never through the client that wrote it.
/// </summary>
public sealed class RemoteTrackerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-remote-client-");
    private readonly FakeTimeProvider _time = new(Start);
    private RemoteServer _server = null!;

    public async Task InitializeAsync() => _server = await RemoteServer.StartAsync();

    private Tracker NewTracker() =>
        Tracker.ForServer(_server.Url, _time, new TrackerOptions { UserId = "ana", GitCommit = "abc123", FlushInterval = TimeSpan.FromSeconds(1) });

    [Fact]
    public async Task A_remote_run_stores_params_metrics_tags_inputs_and_artifacts_on_the_server()
    {
        var model = Path.Combine(_folder.FullName, "model.bin");
        var weights = new byte[3_000_000];
        new Random(11).NextBytes(weights);
        await File.WriteAllBytesAsync(model, weights);
        var report = Directory.CreateDirectory(Path.Combine(_folder.FullName, "report"));
        await File.WriteAllTextAsync(Path.Combine(report.FullName, "index.html"), "<p>ok</p>");
        Directory.CreateDirectory(Path.Combine(report.FullName, "img"));
        await File.WriteAllTextAsync(Path.Combine(report.FullName, "img", "roc.svg"), "<svg/>");
        var iris = new DatasetInput("iris", "d1", "ferry", "{\"path\":\"iris.csv\"}", "{\"columns\":5}", "{\"rows\":150}", "training");
        double[] odd = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, 0.1 + 0.2, -1e-300];

        TrackedRun run;
        await using (var tracker = NewTracker())
        {
            await using (run = await tracker.StartRunAsync("churn", "remote-1"))
            {
                run.LogParam("learner", "lightgbm");
                run.SetTag("phase", "train");
                for (var i = 0; i < 2500; i++)
                {
                    // 2,500 points: three log-batch requests.
                    run.LogMetric("loss", 1.0 / (i + 1), step: i);
                }

                for (var i = 0; i < odd.Length; i++)
                {
                    run.LogMetric("odd", odd[i], step: i);
                }

                await run.LogInputsAsync([iris]);
                await run.LogArtifactAsync(model);
                await run.LogArtifactAsync(report.FullName, "reports");
                _time.Advance(TimeSpan.FromSeconds(5));
            }
        }

        var store = await _server.StoreAsync();
        var stored = await store.GetRunAsync(run.RunId, None);
        Assert.Equal(RunStatus.Finished, stored.Info.Status);
        Assert.Equal(Start.AddSeconds(5).ToUnixTimeMilliseconds(), stored.Info.EndTime);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), stored.Info.StartTime);
        Assert.Equal(("remote-1", "ana"), (stored.Info.RunName, stored.Info.UserId));
        Assert.Equal([new Param("learner", "lightgbm")], stored.Data.Params);
        Assert.Contains(new RunTag("phase", "train"), stored.Data.Tags);
        Assert.Contains(new RunTag("mlflow.user", "ana"), stored.Data.Tags);
        Assert.Contains(new RunTag("mlflow.source.git.commit", "abc123"), stored.Data.Tags);
        Assert.Equal([iris], stored.Inputs);
        var loss = await store.GetMetricHistoryAsync(run.RunId, "loss", None);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (i, 1.0 / (i + 1))), loss.Select(m => ((int)m.Step, m.Value)).OrderBy(p => p.Item1));
        var oddHistory = (await store.GetMetricHistoryAsync(run.RunId, "odd", None)).OrderBy(m => m.Step);
        Assert.Equal(odd.Select(BitConverter.DoubleToInt64Bits), oddHistory.Select(m => BitConverter.DoubleToInt64Bits(m.Value)));

        var experiment = await store.GetExperimentByNameAsync("churn", None);
        Assert.Equal($"mlflow-artifacts:/{experiment.ExperimentId}/{run.RunId}/artifacts", run.Info.ArtifactUri);
        var artifacts = $"{experiment.ExperimentId}/{run.RunId}/artifacts";
        Assert.Equal(weights, await File.ReadAllBytesAsync(_server.ArtifactFile($"{artifacts}/model.bin")));
        Assert.Equal("<p>ok</p>", await File.ReadAllTextAsync(_server.ArtifactFile($"{artifacts}/reports/report/index.html")));
        Assert.Equal("<svg/>", await File.ReadAllTextAsync(_server.ArtifactFile($"{artifacts}/reports/report/img/roc.svg")));
    }

    [Fact]
    public async Task Errors_come_back_with_the_servers_mlflow_codes_and_messages()
    {
        await using var remote = new RestTrackingStore(_server.Url, TimeProvider.System);
        var local = await _server.StoreAsync();
        var missing = Guid.NewGuid().ToString("N");
        var runId = (await remote.CreateRunAsync(new CreateRunRequest("0", "ana"), None)).Info.RunId;
        await remote.LogParamAsync(runId, new Param("lr", "0.1"), None);

        var notFound = await Assert.ThrowsAsync<FerryException>(() => remote.GetRunAsync(missing, None));
        var conflict = await Assert.ThrowsAsync<FerryException>(() => remote.LogParamAsync(runId, new Param("lr", "0.2"), None));
        var taken = await Assert.ThrowsAsync<FerryException>(() => remote.CreateExperimentAsync("Default", null, null, None));

        // The same failures in-process, on the server's own store: a remote caller sees the very same errors.
        var localNotFound = await Assert.ThrowsAsync<FerryException>(() => local.GetRunAsync(missing, None));
        var localConflict = await Assert.ThrowsAsync<FerryException>(() => local.LogParamAsync(runId, new Param("lr", "0.2"), None));
        var localTaken = await Assert.ThrowsAsync<FerryException>(() => local.CreateExperimentAsync("Default", null, null, None));
        Assert.Equal((TrackingErrors.ResourceDoesNotExist, ErrorKind.NotFound), (notFound.Code, notFound.Kind));
        Assert.Equal((TrackingErrors.InvalidParameterValue, ErrorKind.InvalidInput), (conflict.Code, conflict.Kind));
        Assert.Equal((TrackingErrors.ResourceAlreadyExists, ErrorKind.Conflict), (taken.Code, taken.Kind));
        Assert.Equal((localNotFound.Code, localNotFound.Kind, localNotFound.Message), (notFound.Code, notFound.Kind, notFound.Message));
        Assert.Equal((localConflict.Code, localConflict.Kind, localConflict.Message), (conflict.Code, conflict.Kind, conflict.Message));
        Assert.Equal((localTaken.Code, localTaken.Kind, localTaken.Message), (taken.Code, taken.Kind, taken.Message));
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_the_server_refuses_is_reported_and_the_run_ends_failed()
    {
        await using var tracker = NewTracker();
        var run = await tracker.StartRunAsync("churn");
        run.LogMetric("ok", 1);
        await run.FlushAsync();
        run.LogMetric(new string('k', TrackingLimits.MaxKeyLength + 1), 1);

        var error = await Assert.ThrowsAsync<FerryException>(() => run.DisposeAsync().AsTask());

        Assert.Equal(TrackingErrors.InvalidParameterValue, error.Code);
        Assert.Contains("250", error.Message, StringComparison.Ordinal);
        var stored = await (await _server.StoreAsync()).GetRunAsync(run.RunId, None);
        Assert.Equal(RunStatus.Failed, stored.Info.Status);
        Assert.Equal([1.0], stored.Data.Metrics.Select(m => m.Value));
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_named_after_retries_on_the_injected_clock()
    {
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}");
        await using var tracker = Tracker.ForServer(url, _time);

        var starting = tracker.StartRunAsync("churn");
        // The first try fails at once; the retries wait on the fake clock, which has not moved.
        await Task.Delay(300);
        Assert.False(starting.IsCompleted, "the client retried without waiting on its clock");
        var waited = await FakeClock.AdvanceUntilDoneAsync(_time, starting);

        var error = await Assert.ThrowsAsync<FerryException>(() => starting);
        Assert.Equal(ServerErrors.Unreachable, error.Code);
        Assert.StartsWith($"cannot reach the Ferry server at {url}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ferry server", error.Message, StringComparison.Ordinal);
        Assert.Contains("tried 4 times", error.Message, StringComparison.Ordinal);
        // Backoff 0.5 s, 1 s, 2 s between the four tries.
        Assert.True(waited >= TimeSpan.FromSeconds(3.5), $"the tries were {waited} apart in all");
    }

    [Fact]
    public async Task A_server_that_goes_away_mid_run_fails_the_flush_naming_it()
    {
        await using var tracker = NewTracker();
        var run = await tracker.StartRunAsync("churn");
        run.LogMetric("loss", 0.5);
        await run.FlushAsync();
        await _server.StopAsync();
        run.LogMetric("loss", 0.4);

        var ending = run.DisposeAsync().AsTask();
        await FakeClock.AdvanceUntilDoneAsync(_time, ending);

        var error = await Assert.ThrowsAsync<FerryException>(() => ending);
        Assert.Equal(ServerErrors.Unreachable, error.Code);
        Assert.Contains(run.RunId, error.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot reach the Ferry server at {_server.Url}", error.Message, StringComparison.Ordinal);
        // What was written before the server went away stays; the run could not be ended.
        var stored = await (await _server.StoreAsync()).GetRunAsync(run.RunId, None);
        Assert.Equal([0.5], stored.Data.Metrics.Select(m => m.Value));
        Assert.Equal(RunStatus.Running, stored.Info.Status);
    }

    [Fact]
    public async Task A_history_longer_than_one_page_reads_back_whole_in_order()
    {
        await using var remote = new RestTrackingStore(_server.Url, TimeProvider.System);
        var runId = (await remote.CreateRunAsync(new CreateRunRequest("0"), None)).Info.RunId;
        const int Points = 30_000; // more than the 25,000 a page holds
        for (var batch = 0; batch < Points / 1000; batch++)
        {
            var metrics = Enumerable.Range(batch * 1000, 1000).Select(i => new Metric("acc", i / 7.0, 1_000 + i, i)).ToList();
            await remote.LogBatchAsync(runId, metrics, [], [], None);
        }

        var history = await remote.GetMetricHistoryAsync(runId, "acc", None);

        Assert.Equal(await (await _server.StoreAsync()).GetMetricHistoryAsync(runId, "acc", None), history);
        Assert.Equal(Points, history.Select(m => m.Step).Distinct().Count());
    }

    [Fact]
    public async Task Artifact_locations_outside_this_servers_proxy_are_opened_where_they_point()
    {
        await using var other = await RemoteServer.StartAsync();
        var localFolder = Path.Combine(_folder.FullName, "local-artifacts");
        await using var remote = new RestTrackingStore(_server.Url, TimeProvider.System);
        await remote.CreateExperimentAsync("on-other-proxy", $"mlflow-artifacts://{other.Url.Authority}/shared", null, None);
        await remote.CreateExperimentAsync("on-local-disk", localFolder, null, None);
        var file = Path.Combine(_folder.FullName, "notes.txt");
        await File.WriteAllTextAsync(file, "hello");

        await using var tracker = NewTracker();
        await using var proxied = await tracker.StartRunAsync("on-other-proxy");
        await using var onDisk = await tracker.StartRunAsync("on-local-disk");
        await proxied.LogArtifactAsync(file);
        await onDisk.LogArtifactAsync(file);

        Assert.Equal("hello", await File.ReadAllTextAsync(other.ArtifactFile($"shared/{proxied.RunId}/artifacts/notes.txt")));
        Assert.False(Directory.Exists(Path.Combine(_server.ArtifactsFolder, "shared")));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(localFolder, onDisk.RunId, "artifacts", "notes.txt")));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/?token=x")]
    public void A_server_url_that_is_not_http_is_a_usage_error(string url)
    {
        var error = Assert.Throws<FerryException>(() => Tracker.ForServer(new Uri(url), _time));

        Assert.Equal((ServerErrors.UrlInvalid, ErrorKind.Usage), (error.Code, error.Kind));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_server_url_is_a_usage_error()
    {
        var error = Assert.Throws<FerryException>(() => Tracker.ForServer(new Uri("127.0.0.1:5000", UriKind.Relative), _time));

        Assert.Equal(ServerErrors.UrlInvalid, error.Code);
    }

    /// <summary>A port nothing listens on: bound once to find a free one, then released.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Moves a fake clock while real work (HTTP requests) goes on, until a task is done.</summary>
internal static class FakeClock
{
    /// <summary>Advances <paramref name="time"/> in 100 ms steps until <paramref name="task"/> completes; returns how far it moved.</summary>
    public static async Task<TimeSpan> AdvanceUntilDoneAsync(FakeTimeProvider time, Task task)
    {
        var start = time.GetUtcNow();
        for (var i = 0; i < 3000 && !task.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        Assert.True(task.IsCompleted, string.Create(CultureInfo.InvariantCulture, $"still running after the clock moved {time.GetUtcNow() - start}"));
        return time.GetUtcNow() - start;
    }
}
