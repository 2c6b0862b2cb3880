using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

/// <summary>A logged model's and a run's artifacts reached through their owner, over real HTTP.</summary>
public sealed class OwnedArtifactEndpointTests
{
    private const string Artifacts = "/api/2.0/mlflow-artifacts/artifacts";

    [Fact]
    public async Task A_logged_models_folders_list_relative_to_its_root_and_its_files_download()
    {
        await using var server = await ServerFixture.StartAsync();
        var (modelId, root) = await LogModelAsync(server);
        await PutAsync(server, root, "MLmodel", "flavors: {}");
        await PutAsync(server, root, "model.pkl", "0123456789");
        await PutAsync(server, root, "extra/deep/notes.txt", "hi");

        var top = (await server.GetAsync($"logged-models/{modelId}/artifacts/directories")).Ok();
        Assert.Equal($"mlflow-artifacts:/{root}", top["root_uri"]!.GetValue<string>());
        Assert.Equal(
            """[{"path":"MLmodel","is_dir":false,"file_size":11},{"path":"extra","is_dir":true},{"path":"model.pkl","is_dir":false,"file_size":10}]""",
            top["files"]!.ToJsonString());
        var nested = (await server.GetAsync($"logged-models/{modelId}/artifacts/directories?artifact_directory_path=extra")).Ok();
        Assert.Equal("""[{"path":"extra/deep","is_dir":true}]""", nested["files"]!.ToJsonString());
        var empty = (await server.GetAsync($"logged-models/{modelId}/artifacts/directories?artifact_directory_path=none")).Ok();
        Assert.Equal(["root_uri"], empty.Select(p => p.Key));

        foreach (var prefix in new[] { "/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/" })
        {
            var file = await server.GetAsync($"{prefix}logged-models/{modelId}/artifacts/files?artifact_file_path=extra%2Fdeep%2Fnotes.txt");
            Assert.Equal((HttpStatusCode.OK, "text/plain", "hi"), (file.Status, file.MediaType, file.Body));
        }
    }

    [Fact]
    public async Task Bad_requests_for_logged_model_artifacts_get_mlflows_errors()
    {
        await using var server = await ServerFixture.StartAsync();
        var (modelId, _) = await LogModelAsync(server);

        Assert.Contains("artifact_file_path", (await server.GetAsync($"logged-models/{modelId}/artifacts/files")).Error(HttpStatusCode.BadRequest, "BAD_REQUEST"), StringComparison.Ordinal);
        (await server.GetAsync($"logged-models/{modelId}/artifacts/files?artifact_file_path=..%2F..%2Fsecret")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.GetAsync($"logged-models/{modelId}/artifacts/directories?artifact_directory_path=%2Fetc")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.GetAsync($"logged-models/{modelId}/artifacts/files?artifact_file_path=missing.bin")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync("logged-models/m-00000000000000000000000000000000/artifacts/directories")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task A_runs_artifacts_list_with_paths_relative_to_the_run_root()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("listed");
        var runId = await server.CreateRunAsync(experimentId);
        var root = $"{experimentId}/{runId}/artifacts";
        await PutAsync(server, root, "notes.txt", "hello");
        await PutAsync(server, root, "sub/a.json", "{}");

        var top = (await server.GetAsync($"artifacts/list?run_id={runId}")).Ok();
        var sub = (await server.GetAsync($"artifacts/list?run_uuid={runId}&path=sub")).Ok();

        Assert.Equal($"mlflow-artifacts:/{root}", top["root_uri"]!.GetValue<string>());
        Assert.Equal("""[{"path":"notes.txt","is_dir":false,"file_size":5},{"path":"sub","is_dir":true}]""", top["files"]!.ToJsonString());
        Assert.Equal("""[{"path":"sub/a.json","is_dir":false,"file_size":2}]""", sub["files"]!.ToJsonString());
        (await server.GetAsync("artifacts/list?run_id=nope")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync("artifacts/list")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    private static async Task<(string ModelId, string Root)> LogModelAsync(ServerFixture server)
    {
        var experimentId = await server.CreateExperimentAsync("models-" + Guid.NewGuid().ToString("N"));
        var info = (await server.PostAsync("logged-models", new { experiment_id = experimentId, name = "model" })).Ok()["model"]!["info"]!;
        var uri = info["artifact_uri"]!.GetValue<string>();
        return (info["model_id"]!.GetValue<string>(), uri["mlflow-artifacts:/".Length..]);
    }

    private static async Task PutAsync(ServerFixture server, string root, string path, string text)
    {
        using var content = new StringContent(text, new MediaTypeHeaderValue("text/plain"));
        using var response = await server.Client.PutAsync($"{Artifacts}/{root}/{path}", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("{}", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }
}
