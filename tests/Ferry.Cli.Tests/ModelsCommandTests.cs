using System.Text.Json;
using Ferry.Tracking;
using Ferry.Tracking.Model;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Cli.Tests;

public sealed class ModelsCommandTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-models").FullName;
    private string _runId = "";

    public async Task InitializeAsync()
    {
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var experiment = await store.CreateExperimentAsync("churn", null, null, CancellationToken.None);
        var run = await store.CreateRunAsync(new CreateRunRequest(experiment, "ana", "boost"), CancellationToken.None);
        _runId = run.Info.RunId;
        await store.LogBatchAsync(_runId, [new Metric("auc", 0.93, 1, 0)], [new Param("learner", "lightgbm")], [new RunTag("mlflow.source.git.commit", "abc123")], CancellationToken.None);
        await store.LogInputsAsync(_runId, [new DatasetInput("churn-data", "sha256:feed", "local", "/data/churn.csv", Context: "training")], CancellationToken.None);
        var registry = store;
        await registry.CreateRegisteredModelAsync("churn", "predicts churn", null, CancellationToken.None);
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("churn", "runs:/x/model", _runId, DatasetVersions: ["churn-data@2"]), CancellationToken.None);
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("churn", "runs:/y/model", null), CancellationToken.None);
    }

    [Fact]
    public async Task Alias_and_stage_then_list_and_show_lineage()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "models", "alias", "set", "churn", "champion", "1")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "models", "stage", "churn", "1", "production")).ExitCode);

        var list = JsonDocument.Parse((await CliRunner.RunAsync(_home, "models", "list", "--json")).Output).RootElement;
        var model = Assert.Single(list.EnumerateArray());
        Assert.Equal("champion", model.GetProperty("aliases").EnumerateArray().Single().GetProperty("alias").GetString());

        var lineage = await CliRunner.RunAsync(_home, "models", "show", "churn@champion", "--json");
        Assert.True(lineage.ExitCode == 0, lineage.ToString());
        var root = JsonDocument.Parse(lineage.Output).RootElement;
        Assert.Equal(_runId, root.GetProperty("run").GetProperty("info").GetProperty("runId").GetString());
        Assert.Equal("abc123", root.GetProperty("gitCommit").GetString());
        Assert.Equal(["churn-data@2"], root.GetProperty("datasetVersions").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("production", root.GetProperty("version").GetProperty("currentStage").GetString());

        var human = await CliRunner.RunAsync(_home, "models", "show", "churn");
        Assert.Contains("champion", human.Output, StringComparison.Ordinal);

        // Rollback is moving the alias back.
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "models", "alias", "set", "churn", "champion", "2")).ExitCode);
        var moved = JsonDocument.Parse((await CliRunner.RunAsync(_home, "models", "show", "churn@champion", "--json")).Output).RootElement;
        Assert.Equal(2, moved.GetProperty("version").GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, moved.TryGetProperty("run", out var run) ? run.ValueKind : JsonValueKind.Null);
    }

    [Theory]
    [InlineData(2, "models", "show", "churn/x")]
    [InlineData(1, "models", "show", "nosuch")]
    [InlineData(1, "models", "stage", "churn", "1", "Live")]
    [InlineData(1, "models", "alias", "set", "churn", "champion", "9")]
    public async Task Bad_references_fail_with_a_message(int exitCode, params string[] args)
    {
        var result = await CliRunner.RunAsync(_home, args);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }
}
