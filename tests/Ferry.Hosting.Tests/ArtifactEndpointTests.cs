using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

/// <summary>The artifact proxy over real HTTP: upload, download, list, delete and path checks.</summary>
public sealed class ArtifactEndpointTests
{
    private const string Artifacts = "/api/2.0/mlflow-artifacts/artifacts";

    [Fact]
    public async Task New_runs_point_their_artifacts_at_the_proxy_as_mlflow_does()
    {
        await using var server = await ServerFixture.StartAsync();
        var experimentId = await server.CreateExperimentAsync("proxied");
        var runId = await server.CreateRunAsync(experimentId);

        var experiment = (await server.GetAsync($"experiments/get?experiment_id={experimentId}")).Ok();
        var run = (await server.GetAsync($"runs/get?run_id={runId}")).Ok();

        Assert.Equal($"mlflow-artifacts:/{experimentId}", experiment["experiment"]!["artifact_location"]!.GetValue<string>());
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", run["run"]!["info"]!["artifact_uri"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_20_megabyte_file_round_trips_byte_for_byte()
    {
        await using var server = await ServerFixture.StartAsync();
        var content = new byte[20 * 1024 * 1024];
        new Random(7).NextBytes(content);

        using (var put = new ByteArrayContent(content))
        {
            put.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await server.Client.PutAsync($"{Artifacts}/1/run/artifacts/big/weights.bin", put);
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
            Assert.Equal("{}", await uploaded.Content.ReadAsStringAsync());
        }

        using var response = await server.Client.GetAsync($"{Artifacts}/1/run/artifacts/big/weights.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        await using var stream = await response.Content.ReadAsStreamAsync();
        Assert.Equal(SHA256.HashData(content), await SHA256.HashDataAsync(stream));
    }

    [Fact]
    public async Task Listing_shows_direct_children_relative_to_the_folder_and_a_file_lists_as_empty()
    {
        await using var server = await ServerFixture.StartAsync();
        await PutTextAsync(server, "5/r/artifacts/notes.txt", "hello");
        await PutTextAsync(server, "5/r/artifacts/sub/dir/notes.txt", "hi");
        await PutTextAsync(server, "5/r/artifacts/sub/top.json", "{}");

        var root = (await server.GetAsync($"{Artifacts}?path=5%2Fr%2Fartifacts")).Ok();
        var sub = (await server.GetAsync($"{Artifacts}?path=5/r/artifacts/sub/")).Ok();
        var file = await server.GetAsync($"{Artifacts}?path=5/r/artifacts/notes.txt");
        var missing = await server.GetAsync($"{Artifacts}?path=5/r/nothing-here");

        Assert.Equal("""[{"path":"notes.txt","is_dir":false,"file_size":5},{"path":"sub","is_dir":true}]""", root["files"]!.ToJsonString());
        Assert.Equal("""[{"path":"dir","is_dir":true},{"path":"top.json","is_dir":false,"file_size":2}]""", sub["files"]!.ToJsonString());
        Assert.Equal("{}", file.Ok().ToJsonString());
        Assert.Equal("{}", missing.Ok().ToJsonString());
        Assert.Equal(["5"], (await server.GetAsync(Artifacts)).Ok()["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Text_downloads_as_text_plain_and_delete_removes_files_and_folders()
    {
        await using var server = await ServerFixture.StartAsync();
        await PutTextAsync(server, "2/models/m-1/artifacts/MLmodel", "flavors: {}");
        await PutTextAsync(server, "2/models/m-1/artifacts/sub/a.txt", "a");

        var text = await server.GetAsync($"{Artifacts}/2/models/m-1/artifacts/MLmodel");
        Assert.Equal((HttpStatusCode.OK, "text/plain", "flavors: {}"), (text.Status, text.MediaType, text.Body));

        Assert.Equal("{}", (await server.SendAsync(HttpMethod.Delete, $"{Artifacts}/2/models/m-1/artifacts/sub", null)).Ok().ToJsonString());
        Assert.Equal("{}", (await server.SendAsync(HttpMethod.Delete, $"{Artifacts}/2/models/m-1/artifacts/MLmodel", null)).Ok().ToJsonString());
        Assert.Equal("{}", (await server.GetAsync($"{Artifacts}?path=2/models/m-1/artifacts")).Ok().ToJsonString());
        (await server.GetAsync($"{Artifacts}/2/models/m-1/artifacts/MLmodel")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task A_missing_file_is_404_and_a_folder_is_not_a_file()
    {
        await using var server = await ServerFixture.StartAsync();
        await PutTextAsync(server, "1/r/artifacts/sub/x.txt", "x");

        (await server.GetAsync($"{Artifacts}/1/r/artifacts/missing.txt")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync($"{Artifacts}/1/r/artifacts/sub")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [InlineData("GET", "?path=..%2Fsecret")]
    [InlineData("GET", "?path=1%2F..%2F..%2Fsecret")]
    [InlineData("GET", "?path=%2Fetc")]
    [InlineData("PUT", "/a%2F..%2F..%2Fescape.txt")]
    [InlineData("PUT", "/%2Fetc%2Fescape.txt")]
    [InlineData("DELETE", "/..%2F..")]
    // Plain and %2E dot segments are resolved by HttpClient's Uri before sending, so only %2F-encoded ones reach the server here.
    public async Task Paths_that_leave_the_root_are_refused_with_400(string method, string suffix)
    {
        await using var server = await ServerFixture.StartAsync();

        var reply = await server.SendAsync(new HttpMethod(method), Artifacts + suffix, method == "PUT" ? "\"x\"" : null);

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public void Proxied_artifacts_default_to_the_home_artifacts_folder_and_a_bad_location_fails_the_build()
    {
        var home = new FerryHome(Path.Combine(Path.GetTempPath(), "ferry-home-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(Path.Combine(home.Root, "artifacts"), new TrackingServerOptions { Home = home }.ResolveArtifactStoreUri());
        Assert.Equal("s3://bucket/prefix", new TrackingServerOptions { Home = home, ArtifactStoreUri = "s3://bucket/prefix" }.ResolveArtifactStoreUri());
        var error = Assert.Throws<FerryException>(() => TrackingServer.Build(new TrackingServerOptions { Home = home, Port = 0, ArtifactStoreUri = "ftp://host/x" }));
        Assert.Equal("ARTIFACT_URI_INVALID", error.Code);
        Assert.False(Directory.Exists(home.Root));
    }

    private static async Task PutTextAsync(ServerFixture server, string path, string text)
    {
        using var content = new StringContent(text, new MediaTypeHeaderValue("text/plain"));
        using var response = await server.Client.PutAsync($"{Artifacts}/{path}", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("{}", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }
}
