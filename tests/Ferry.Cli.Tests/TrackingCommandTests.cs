using System.Text.Json;
using Ferry.Tracking;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Cli.Tests;

public sealed class TrackingCommandTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-tracking").FullName;
    private readonly List<string> _runs = [];

    public async Task InitializeAsync()
    {
        // Runs recorded straight into the home's store, as a training job in the same process would.
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var experiment = await store.CreateExperimentAsync("churn", null, null, CancellationToken.None);
        foreach (var (name, learner, auc) in new[] { ("tree", "fasttree", 0.81), ("boost", "lightgbm", 0.93), ("linear", "sdca", 0.77) })
        {
            var run = await store.CreateRunAsync(new CreateRunRequest(experiment, "ana", name), CancellationToken.None);
            var history = Enumerable.Range(0, 5).Select(step => new Metric("auc", auc - (0.05 * (4 - step)), 1000 + step, step)).ToList();
            await store.LogBatchAsync(run.Info.RunId, history, [new Param("learner", learner), new Param("seed", "42")], [], CancellationToken.None);
            _runs.Add(run.Info.RunId);
        }
    }

    [Fact]
    public async Task Experiments_list_includes_default_and_created()
    {
        var result = await CliRunner.RunAsync(_home, "experiments", "list", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var names = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString());
        Assert.Equal(["Default", "churn"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Runs_list_applies_filter_and_order()
    {
        var result = await CliRunner.RunAsync(_home, "runs", "list", "-e", "churn", "--filter", "metrics.auc > 0.8", "--order-by", "metrics.auc DESC", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().Select(r => r.GetProperty("info").GetProperty("runId").GetString());
        Assert.Equal([_runs[1], _runs[0]], ids);

        var bad = await CliRunner.RunAsync(_home, "runs", "list", "--filter", "metrics.auc >> 1");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(">>", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_show_and_delete()
    {
        var show = await CliRunner.RunAsync(_home, "runs", "show", _runs[1]);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("lightgbm", show.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(_home, "runs", "delete", _runs[1])).ExitCode);
        var active = JsonDocument.Parse((await CliRunner.RunAsync(_home, "runs", "list", "--json")).Output).RootElement;
        Assert.DoesNotContain(active.EnumerateArray(), r => r.GetProperty("info").GetProperty("runId").GetString() == _runs[1]);

        var missing = await CliRunner.RunAsync(_home, "runs", "show", "0123456789abcdef0123456789abcdef");
        Assert.Equal(1, missing.ExitCode);
    }

    [Fact]
    public async Task Runs_compare_shows_param_differences_metric_deltas_and_writes_charts()
    {
        var charts = Path.Combine(_home, "charts");
        var json = await CliRunner.RunAsync(_home, "runs", "compare", _runs[0], _runs[1], "--charts", charts, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(["fasttree", "lightgbm"], root.GetProperty("params").GetProperty("learner").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([0.81, 0.93], root.GetProperty("metrics").GetProperty("auc").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 2)));
        var png = Assert.Single(Directory.GetFiles(charts, "*.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await File.ReadAllBytesAsync(png))[..4]);

        var human = await CliRunner.RunAsync(_home, "runs", "compare", _runs[0], _runs[1], "--charts", Path.Combine(_home, "charts2"));
        Assert.Contains("+0.12", human.Output, StringComparison.Ordinal);

        var one = await CliRunner.RunAsync(_home, "runs", "compare", _runs[0]);
        Assert.Equal(2, one.ExitCode);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }
}
