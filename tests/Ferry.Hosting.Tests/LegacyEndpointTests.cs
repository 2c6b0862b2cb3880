using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

/// <summary>Endpoints of older MLflow clients: 1.x's experiments/list and 2.x's runs/log-model.</summary>
public sealed class LegacyEndpointTests
{
    [Fact]
    public async Task Experiments_list_returns_every_experiment_or_one_page()
    {
        await using var server = await ServerFixture.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await server.CreateExperimentAsync($"legacy-{i}");
        }

        var all = (await server.GetAsync("experiments/list")).Ok();
        var preview = (await server.GetAsync("/api/2.0/preview/mlflow/experiments/list?view_type=ACTIVE_ONLY")).Ok();
        var page = (await server.GetAsync("experiments/list?max_results=2")).Ok();

        Assert.Equal(["Default", "legacy-0", "legacy-1", "legacy-2"], Names(all).Order());
        Assert.Null(all["next_page_token"]);
        Assert.Equal(Names(all), Names(preview));
        Assert.Equal(2, Names(page).Count);
        Assert.NotNull(page["next_page_token"]);
    }

    [Fact]
    public async Task Log_model_appends_the_models_summary_to_the_run_history_tag()
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");
        var model = new JsonObject
        {
            ["run_id"] = runId,
            ["artifact_path"] = "model",
            ["utc_time_created"] = "2026-01-01 00:00:00.000000",
            ["flavors"] = new JsonObject { ["sklearn"] = new JsonObject { ["pickled_model"] = "model.pkl", ["config"] = new JsonObject { ["x"] = 1 } } },
            ["signature"] = new JsonObject { ["inputs"] = "[]" },
            ["model_uuid"] = "abc",
        };

        (await server.PostAsync("runs/log-model", new { run_id = runId, model_json = model.ToJsonString() })).Ok();
        (await server.PostAsync("runs/log-model", new { run_id = runId, model_json = model.ToJsonString() })).Ok();

        var tags = (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!["data"]!["tags"]!.AsArray();
        var history = tags.Single(t => t!["key"]!.GetValue<string>() == "mlflow.log-model.history")!["value"]!.GetValue<string>();
        const string Rest = """ "artifact_path": "model", "utc_time_created": "2026-01-01 00:00:00.000000", "model_uuid": "abc", "flavors": {"sklearn": {"pickled_model": "model.pkl"}}}""";
        var entry = "{\"run_id\": \"" + runId + "\"," + Rest;
        Assert.Equal($"[{entry}, {entry}]", history);
    }

    [Theory]
    [InlineData("{not json", "not a valid JSON")]
    [InlineData("""{"artifact_path": "m", "flavors": {}}""", "'utc_time_created'")]
    public async Task Log_model_refuses_malformed_model_json(string modelJson, string named)
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");

        var message = (await server.PostAsync("runs/log-model", new { run_id = runId, model_json = modelJson })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        Assert.Contains(named, message, StringComparison.Ordinal);
        (await server.PostAsync("runs/log-model", new { run_id = "missing", model_json = JsonSerializer.Serialize(new { artifact_path = "m", flavors = new { }, utc_time_created = "t", run_id = "missing" }) }))
            .Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    private static List<string> Names(JsonObject page) => page["experiments"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList();
}
