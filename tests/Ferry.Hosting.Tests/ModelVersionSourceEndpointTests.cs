using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

/// <summary>Registering MLflow 3 logged models over HTTP: the tag MLflow's server writes, the run, and where a version downloads from.</summary>
public sealed class ModelVersionSourceEndpointTests
{
    [Fact]
    public async Task A_version_from_a_logged_model_tags_it_takes_its_run_and_downloads_from_its_location()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("lm");
        var runId = await server.CreateRunAsync(experimentId);
        var info = (await server.PostAsync("logged-models", new { experiment_id = experimentId, name = "model", source_run_id = runId })).Ok()["model"]!["info"]!;
        var modelId = info["model_id"]!.GetValue<string>();
        (await server.PostAsync("registered-models/create", new { name = "lr-model" })).Ok();

        var version = (await server.PostAsync("model-versions/create", new { name = "lr-model", source = $"models:/{modelId}", model_id = modelId })).Ok()["model_version"]!;

        Assert.Equal(runId, version["run_id"]!.GetValue<string>());
        Assert.Equal($"models:/{modelId}", version["source"]!.GetValue<string>());
        var tags = (await server.GetAsync($"logged-models/{modelId}")).Ok()["model"]!["info"]!["tags"]!.AsArray();
        Assert.Equal("""[{"name": "lr-model", "version": 1}]""", tags.Single(t => t!["key"]!.GetValue<string>() == "mlflow.modelVersions")!["value"]!.GetValue<string>());
        var uri = (await server.GetAsync("model-versions/get-download-uri?name=lr-model&version=1")).Ok();
        Assert.Equal(info["artifact_uri"]!.GetValue<string>(), uri["artifact_uri"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_runs_source_naming_a_logged_model_downloads_from_the_model_and_other_runs_sources_from_the_run()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("runs-src");
        var runId = await server.CreateRunAsync(experimentId);
        var info = (await server.PostAsync("logged-models", new { experiment_id = experimentId, name = "clf", source_run_id = runId })).Ok()["model"]!["info"]!;
        (await server.PostAsync("registered-models/create", new { name = "clf" })).Ok();

        (await server.PostAsync("model-versions/create", new { name = "clf", source = $"runs:/{runId}/clf", run_id = runId })).Ok();
        (await server.PostAsync("model-versions/create", new { name = "clf", source = $"runs:/{runId}/files/model", run_id = runId })).Ok();

        Assert.Equal(info["artifact_uri"]!.GetValue<string>(), DownloadUri(await server.GetAsync("model-versions/get-download-uri?name=clf&version=1")));
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts/files/model", DownloadUri(await server.GetAsync("model-versions/get-download-uri?name=clf&version=2")));
        Assert.Contains("mlflow.modelVersions", (await server.GetAsync($"logged-models/{info["model_id"]!.GetValue<string>()}")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_models_source_naming_no_logged_model_is_404_and_registers_nothing()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.PostAsync("registered-models/create", new { name = "ghost" })).Ok();

        var message = (await server.PostAsync("model-versions/create", new { name = "ghost", source = "models:/m-0123456789abcdef0123456789abcdef" }))
            .Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        Assert.Contains("m-0123456789abcdef0123456789abcdef", message, StringComparison.Ordinal);
        Assert.Null((await server.GetAsync("registered-models/get?name=ghost")).Ok()["registered_model"]!["latest_versions"]);
    }

    private static string DownloadUri(Reply reply) => reply.Ok()["artifact_uri"]!.GetValue<string>();
}
