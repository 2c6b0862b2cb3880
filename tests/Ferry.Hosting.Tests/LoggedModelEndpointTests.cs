using System.Net;

namespace Ferry.Hosting.Tests;

/// <summary>MLflow 3's logged-model endpoints and runs/outputs over real HTTP, in the order log_model calls them.</summary>
public sealed class LoggedModelEndpointTests
{
    [Fact]
    public async Task Log_model_lifecycle_create_output_upload_finalize_tag_search_delete()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("models");
        var runId = await server.CreateRunAsync(experimentId);

        var created = (await server.PostAsync("logged-models", new
        {
            experiment_id = experimentId, name = "model", source_run_id = runId,
            tags = new[] { new { key = "mlflow.user", value = "ana" } },
        })).Ok()["model"]!;
        var modelId = created["info"]!["model_id"]!.GetValue<string>();
        Assert.Matches("^m-[0-9a-f]{32}$", modelId);
        Assert.Equal("LOGGED_MODEL_PENDING", created["info"]!["status"]!.GetValue<string>());
        Assert.Equal($"mlflow-artifacts:/{experimentId}/models/{modelId}/artifacts", created["info"]!["artifact_uri"]!.GetValue<string>());
        Assert.Equal("", created["info"]!["model_type"]!.GetValue<string>());
        Assert.Equal("{}", created["data"]!.ToJsonString());

        Assert.Equal("{}", (await server.PostAsync("runs/outputs", new { run_id = runId, models = new[] { new { model_id = modelId, step = 0 } } })).Ok().ToJsonString());
        var run = (await server.GetAsync($"runs/get?run_id={runId}")).Ok();
        Assert.Equal($$"""{"model_outputs":[{"model_id":"{{modelId}}","step":0}]}""", run["run"]!["outputs"]!.ToJsonString());

        using (var file = new StringContent("flavors: {}"))
        {
            using var put = await server.Client.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/models/{modelId}/artifacts/MLmodel", file);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var ready = (await server.SendAsync(new HttpMethod("PATCH"), $"logged-models/{modelId}", $$"""{"model_id":"{{modelId}}","status":"LOGGED_MODEL_READY"}""")).Ok();
        Assert.Equal("LOGGED_MODEL_READY", ready["model"]!["info"]!["status"]!.GetValue<string>());

        Assert.Equal("{}", (await server.SendAsync(new HttpMethod("PATCH"), $"logged-models/{modelId}/tags", """{"tags":[{"key":"mlflow.modelVersions","value":"[]"}]}""")).Ok().ToJsonString());
        Assert.Equal("{}", (await server.PostAsync($"logged-models/{modelId}/params", new { @params = new[] { new { key = "alpha", value = "0.5" } } })).Ok().ToJsonString());
        var read = (await server.GetAsync($"logged-models/{modelId}")).Ok()["model"]!;
        Assert.Equal("""[{"key":"mlflow.modelVersions","value":"[]"},{"key":"mlflow.user","value":"ana"}]""", read["info"]!["tags"]!.ToJsonString());
        Assert.Equal("""{"params":[{"key":"alpha","value":"0.5"}]}""", read["data"]!.ToJsonString());

        var found = (await server.PostAsync("logged-models/search", new { experiment_ids = new[] { experimentId }, filter = "name = 'model'" })).Ok();
        Assert.Equal([modelId], found["models"]!.AsArray().Select(m => m!["info"]!["model_id"]!.GetValue<string>()));
        Assert.Equal("{}", (await server.PostAsync("logged-models/search", new { experiment_ids = new[] { experimentId }, filter = "name = 'notes.txt'" })).Ok().ToJsonString());

        Assert.Equal("{}", (await server.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}/tags/mlflow.user", null)).Ok().ToJsonString());
        Assert.Equal("{}", (await server.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}", null)).Ok().ToJsonString());
        (await server.GetAsync($"logged-models/{modelId}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Logged_model_errors_have_mlflow_codes_and_statuses()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("errors");
        var missing = "m-" + Guid.NewGuid().ToString("N");

        (await server.GetAsync($"logged-models/{missing}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.PostAsync("logged-models", new { experiment_id = "424242" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("experiment_id", (await server.PostAsync("logged-models", new { name = "x" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        var modelId = (await server.PostAsync("logged-models", new { experiment_id = experimentId })).Ok()["model"]!["info"]!["model_id"]!.GetValue<string>();
        Assert.Contains("status", (await server.SendAsync(new HttpMethod("PATCH"), $"logged-models/{modelId}", """{"status":"DONE"}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        (await server.PostAsync("logged-models/search", new { experiment_ids = new[] { experimentId }, filter = "metrics.acc > 0.5" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.PostAsync("runs/outputs", new { run_id = "no-such-run", models = new[] { new { model_id = modelId, step = 0 } } })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }
}
