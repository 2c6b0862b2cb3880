using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

public sealed class RegistryEndpointTests
{
    [Fact]
    public async Task Registered_model_create_get_update_tags_and_duplicate()
    {
        await using var server = await ServerFixture.StartAsync();
        var created = (await server.PostAsync("registered-models/create", new
        {
            name = "churn", description = "d", tags = new[] { new { key = "team", value = "ferry" } },
        })).Ok()["registered_model"]!.AsObject();
        Assert.Equal("churn", created["name"]!.GetValue<string>());
        Assert.Equal("d", created["description"]!.GetValue<string>());
        Assert.Equal(Keys("name", "creation_timestamp", "last_updated_timestamp", "description", "tags"), Keys(created));

        var message = (await server.PostAsync("registered-models/create", new { name = "churn" })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Contains("churn", message, StringComparison.Ordinal);
        (await server.GetAsync("registered-models/get?name=nope")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.PostAsync("registered-models/create", new { })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        var updated = (await SendAsync(server, HttpMethod.Patch, "registered-models/update", new { name = "churn", description = "new" })).Ok()["registered_model"]!;
        Assert.Equal("new", updated["description"]!.GetValue<string>());
        (await SendAsync(server, HttpMethod.Patch, "registered-models/update", new { name = "nope", description = "x" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        Assert.Equal("{}", (await server.PostAsync("registered-models/set-tag", new { name = "churn", key = "stage", value = "beta" })).Body);
        Assert.Equal("{}", (await SendAsync(server, HttpMethod.Delete, "registered-models/delete-tag", new { name = "churn", key = "team" })).Body);
        var tags = (await server.GetAsync("registered-models/get?name=churn")).Ok()["registered_model"]!["tags"]!.AsArray();
        var tag = Assert.Single(tags)!;
        Assert.Equal("stage", tag["key"]!.GetValue<string>());
        Assert.Equal("beta", tag["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Model_versions_create_get_update_tags_delete_and_download_uri()
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync("reg"));
        (await server.PostAsync("model-versions/create", new { name = "churn", source = "runs:/x/model" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await CreateModelAsync(server, "churn");

        var v1 = (await server.PostAsync("model-versions/create", new { name = "churn", source = $"runs:/{runId}/model", run_id = runId })).Ok()["model_version"]!.AsObject();
        Assert.Equal("1", v1["version"]!.GetValue<string>());
        Assert.Equal("None", v1["current_stage"]!.GetValue<string>());
        Assert.Equal("READY", v1["status"]!.GetValue<string>());
        Assert.Equal(runId, v1["run_id"]!.GetValue<string>());
        Assert.Equal(
            Keys("name", "version", "creation_timestamp", "last_updated_timestamp", "current_stage", "description", "source", "run_id", "status", "run_link"),
            Keys(v1));
        var v2 = (await server.PostAsync("model-versions/create", new
        {
            name = "churn", source = "s3://bucket/m", description = "second", tags = new[] { new { key = "k", value = "v" } },
        })).Ok()["model_version"]!;
        Assert.Equal("2", v2["version"]!.GetValue<string>());
        Assert.Null(v2["run_id"]);

        var fetched = (await server.GetAsync("model-versions/get?name=churn&version=2")).Ok()["model_version"]!;
        Assert.Equal("second", fetched["description"]!.GetValue<string>());
        Assert.Equal("k", fetched["tags"]![0]!["key"]!.GetValue<string>());
        (await server.GetAsync("model-versions/get?name=churn&version=9")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync("model-versions/get?name=nope&version=1")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var bad = (await server.GetAsync("model-versions/get?name=churn&version=one")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'version'", bad, StringComparison.Ordinal);

        var updated = (await SendAsync(server, HttpMethod.Patch, "model-versions/update", new { name = "churn", version = "1", description = "first" })).Ok()["model_version"]!;
        Assert.Equal("first", updated["description"]!.GetValue<string>());
        Assert.Equal("{}", (await server.PostAsync("model-versions/set-tag", new { name = "churn", version = "1", key = "a", value = "b" })).Body);
        Assert.Equal("{}", (await SendAsync(server, HttpMethod.Delete, "model-versions/delete-tag", new { name = "churn", version = "2", key = "k" })).Body);
        Assert.Null((await server.GetAsync("model-versions/get?name=churn&version=2")).Ok()["model_version"]!["tags"]);
        Assert.Equal("a", (await server.GetAsync("model-versions/get?name=churn&version=1")).Ok()["model_version"]!["tags"]![0]!["key"]!.GetValue<string>());

        // A runs:/ source resolves to the run's artifact location, from which the client downloads; other sources come back as registered.
        var artifactUri = (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!["info"]!["artifact_uri"]!.GetValue<string>();
        var uri = (await server.GetAsync("model-versions/get-download-uri?name=churn&version=1")).Ok();
        Assert.Equal(artifactUri + "/model", uri["artifact_uri"]!.GetValue<string>());
        Assert.Equal("s3://bucket/m", (await server.GetAsync("model-versions/get-download-uri?name=churn&version=2")).Ok()["artifact_uri"]!.GetValue<string>());

        Assert.Equal("{}", (await SendAsync(server, HttpMethod.Delete, "model-versions/delete", new { name = "churn", version = "2" })).Body);
        (await server.GetAsync("model-versions/get?name=churn&version=2")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await SendAsync(server, HttpMethod.Delete, "model-versions/delete", new { name = "churn", version = "2" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        // Numbers are not reused after a delete, as in MLflow.
        Assert.Equal("3", (await server.PostAsync("model-versions/create", new { name = "churn", source = "s3://bucket/m3" })).Ok()["model_version"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stage_transitions_archive_existing_versions_and_latest_versions()
    {
        await using var server = await ServerFixture.StartAsync();
        await CreateModelAsync(server, "churn");
        await CreateVersionAsync(server, "churn");
        await CreateVersionAsync(server, "churn");
        await CreateVersionAsync(server, "churn");

        var moved = (await Transition(server, "1", "Production", archive: false)).Ok()["model_version"]!;
        Assert.Equal("Production", moved["current_stage"]!.GetValue<string>());
        // MLflow accepts stage names in any case.
        (await Transition(server, "3", "staging", archive: false)).Ok();
        var second = (await Transition(server, "2", "Production", archive: true)).Ok()["model_version"]!;
        Assert.Equal("Production", second["current_stage"]!.GetValue<string>());
        Assert.Equal("Archived", (await server.GetAsync("model-versions/get?name=churn&version=1")).Ok()["model_version"]!["current_stage"]!.GetValue<string>());
        Assert.Equal("Staging", (await server.GetAsync("model-versions/get?name=churn&version=3")).Ok()["model_version"]!["current_stage"]!.GetValue<string>());

        var message = (await Transition(server, "1", "Live", archive: false)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Live", message, StringComparison.Ordinal);
        (await Transition(server, "1", "Archived", archive: true)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await Transition(server, "7", "Staging", archive: false)).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        var production = (await server.PostAsync("registered-models/get-latest-versions", new { name = "churn", stages = new[] { "Production" } })).Ok()["model_versions"]!.AsArray();
        Assert.Equal("2", Assert.Single(production)!["version"]!.GetValue<string>());
        var archived = (await server.GetAsync("registered-models/get-latest-versions?name=churn&stages=Archived&stages=Staging")).Ok()["model_versions"]!.AsArray();
        // In stage order: Staging before Archived.
        Assert.Equal(["3", "1"], archived.Select(v => v!["version"]!.GetValue<string>()));
        var all = (await server.PostAsync("registered-models/get-latest-versions", new { name = "churn" })).Ok()["model_versions"]!.AsArray();
        Assert.Equal(3, all.Count);
        (await server.PostAsync("registered-models/get-latest-versions", new { name = "churn", stages = new[] { "Live" } })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.PostAsync("registered-models/get-latest-versions", new { name = "nope" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Aliases_set_get_move_delete()
    {
        await using var server = await ServerFixture.StartAsync();
        await CreateModelAsync(server, "churn");
        await CreateVersionAsync(server, "churn");
        await CreateVersionAsync(server, "churn");

        Assert.Equal("{}", (await server.PostAsync("registered-models/alias", new { name = "churn", alias = "champion", version = "1" })).Body);
        var byAlias = (await server.GetAsync("registered-models/alias?name=churn&alias=champion")).Ok()["model_version"]!;
        Assert.Equal("1", byAlias["version"]!.GetValue<string>());
        Assert.Equal(["champion"], byAlias["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        var model = (await server.GetAsync("registered-models/get?name=churn")).Ok()["registered_model"]!;
        var alias = Assert.Single(model["aliases"]!.AsArray())!;
        Assert.Equal("champion", alias["alias"]!.GetValue<string>());
        Assert.Equal("1", alias["version"]!.GetValue<string>());
        // MLflow leaves aliases out of the versions nested in the model.
        Assert.All(model["latest_versions"]!.AsArray(), v => Assert.Null(v!["aliases"]));

        (await server.PostAsync("registered-models/alias", new { name = "churn", alias = "champion", version = 2 })).Ok();
        Assert.Equal("2", (await server.GetAsync("registered-models/alias?name=churn&alias=champion")).Ok()["model_version"]!["version"]!.GetValue<string>());
        Assert.Null((await server.GetAsync("model-versions/get?name=churn&version=1")).Ok()["model_version"]!["aliases"]);

        Assert.Equal("{}", (await SendAsync(server, HttpMethod.Delete, "registered-models/alias", new { name = "churn", alias = "champion" })).Body);
        // MLflow reports an unknown alias as a bad parameter, not a missing resource.
        var message = (await server.GetAsync("registered-models/alias?name=churn&alias=champion")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("champion", message, StringComparison.Ordinal);
        (await server.PostAsync("registered-models/alias", new { name = "churn", alias = "latest", version = "1" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.PostAsync("registered-models/alias", new { name = "churn", alias = "ok", version = "5" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.PostAsync("registered-models/alias", new { name = "nope", alias = "ok", version = "1" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Search_models_with_the_clients_prompt_filter_and_versions_by_name()
    {
        await using var server = await ServerFixture.StartAsync();
        await CreateModelAsync(server, "alpha");
        await CreateModelAsync(server, "beta");
        (await server.PostAsync("registered-models/create", new
        {
            name = "a-prompt", tags = new[] { new { key = "mlflow.prompt.is_prompt", value = "true" } },
        })).Ok();
        await CreateVersionAsync(server, "alpha");
        await CreateVersionAsync(server, "alpha");
        await CreateVersionAsync(server, "beta");
        (await server.PostAsync("registered-models/alias", new { name = "alpha", alias = "champion", version = "1" })).Ok();

        // What MLflow's search_registered_models() sends by default: prompts are registered models it hides.
        var found = (await server.GetAsync("registered-models/search?filter=tag.%60mlflow.prompt.is_prompt%60+%21%3D+%27true%27&max_results=100")).Ok();
        Assert.Equal(["alpha", "beta"], Names(found["registered_models"]!));
        Assert.Null(found["next_page_token"]);

        var first = (await server.GetAsync("registered-models/search?max_results=2")).Ok();
        Assert.Equal(["a-prompt", "alpha"], Names(first["registered_models"]!));
        var token = first["next_page_token"]!.GetValue<string>();
        var rest = (await server.GetAsync($"registered-models/search?max_results=2&page_token={Uri.EscapeDataString(token)}")).Ok();
        Assert.Equal(["beta"], Names(rest["registered_models"]!));
        var ordered = (await server.GetAsync("registered-models/search?order_by=name+DESC&filter=name+LIKE+%27%25a%27")).Ok();
        Assert.Equal(["beta", "alpha"], Names(ordered["registered_models"]!));

        var versions = (await server.GetAsync("model-versions/search?filter=name%3D%27alpha%27&max_results=10000")).Ok()["model_versions"]!.AsArray();
        Assert.Equal(["2", "1"], versions.Select(v => v!["version"]!.GetValue<string>()));
        // Search results carry no aliases in MLflow, even for a version that has one.
        Assert.All(versions, v => Assert.Null(v!["aliases"]));
        Assert.Equal("{}", (await server.GetAsync("model-versions/search?filter=name%3D%27nobody%27")).Body);
        (await server.GetAsync("registered-models/search?filter=bogus+%3E+1")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.GetAsync("registered-models/search?max_results=0")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Rename_moves_versions_and_aliases_and_delete_cascades()
    {
        await using var server = await ServerFixture.StartAsync();
        await CreateModelAsync(server, "old");
        await CreateModelAsync(server, "taken");
        await CreateVersionAsync(server, "old");
        (await server.PostAsync("registered-models/alias", new { name = "old", alias = "champion", version = "1" })).Ok();

        (await server.PostAsync("registered-models/rename", new { name = "old", new_name = "taken" })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        (await server.PostAsync("registered-models/rename", new { name = "ghost", new_name = "x" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var renamed = (await server.PostAsync("registered-models/rename", new { name = "old", new_name = "new" })).Ok()["registered_model"]!;
        Assert.Equal("new", renamed["name"]!.GetValue<string>());
        Assert.Equal("new", renamed["latest_versions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("champion", renamed["aliases"]![0]!["alias"]!.GetValue<string>());
        (await server.GetAsync("registered-models/get?name=old")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal("1", (await server.GetAsync("registered-models/alias?name=new&alias=champion")).Ok()["model_version"]!["version"]!.GetValue<string>());

        Assert.Equal("{}", (await SendAsync(server, HttpMethod.Delete, "registered-models/delete", new { name = "new" })).Body);
        (await server.GetAsync("registered-models/get?name=new")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync("model-versions/get?name=new&version=1")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal("{}", (await server.GetAsync("model-versions/search?filter=name%3D%27new%27")).Body);
        (await SendAsync(server, HttpMethod.Delete, "registered-models/delete", new { name = "new" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        // The name is free again, and numbering starts over for the new model.
        await CreateModelAsync(server, "new");
        Assert.Equal("1", (await CreateVersionAsync(server, "new"))["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registry_endpoints_answer_only_their_verbs()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.PostAsync("registered-models/update", new { name = "x" })).Error(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        (await server.GetAsync("model-versions/transition-stage?name=x")).Error(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }

    /// <summary>
    /// The registry requests of traffic_model_flow.jsonl (#17 create, #18 model-versions/create from a logged model, #24 get,
    /// #25 get-download-uri) answer in MLflow's shapes, on their own; the whole flow is replayed by <see cref="GoldenModelFlowTests"/>.
    /// </summary>
    [Fact]
    public async Task Model_flow_registry_requests_answer_in_MLflows_shapes()
    {
        var records = (await File.ReadAllLinesAsync(Path.Combine(GoldenTraffic.Folder, "traffic_model_flow.jsonl")))
            .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");
        var modelId = (await server.PostAsync("logged-models", new { experiment_id = "0", name = "model", source_run_id = runId })).Ok()["model"]!["info"]!["model_id"]!.GetValue<string>();

        await Replay(server, records[17], records[17]["req"]!.ToJsonString());
        var version = records[18]["req"]!.DeepClone().AsObject();
        version["source"] = $"models:/{modelId}";
        version["model_id"] = modelId;
        await Replay(server, records[18], version.ToJsonString());
        await Replay(server, records[24], null);
        await Replay(server, records[25], null);
    }

    private static async Task Replay(ServerFixture server, JsonObject record, string? body)
    {
        var path = record["path"]!.GetValue<string>();
        var reply = await server.SendAsync(new HttpMethod(record["method"]!.GetValue<string>()), path, body);
        Assert.True((int)reply.Status == record["status"]!.GetValue<int>(), $"{path}: {(int)reply.Status} {reply.Body}");
        var difference = GoldenTrafficTests.ShapeDifference(record["resp"], reply.Json, "$");
        Assert.True(difference is null, $"{path}: {difference}\n  Ferry:  {reply.Body}\n  MLflow: {record["resp"]!.ToJsonString()}");
    }

    private static Task<Reply> SendAsync(ServerFixture server, HttpMethod method, string path, object body) =>
        server.SendAsync(method, path, JsonSerializer.Serialize(body));

    private static Task<Reply> Transition(ServerFixture server, string version, string stage, bool archive) =>
        server.PostAsync("model-versions/transition-stage", new { name = "churn", version, stage, archive_existing_versions = archive });

    private static async Task CreateModelAsync(ServerFixture server, string name) =>
        (await server.PostAsync("registered-models/create", new { name })).Ok();

    private static async Task<JsonNode> CreateVersionAsync(ServerFixture server, string name) =>
        (await server.PostAsync("model-versions/create", new { name, source = $"s3://bucket/{name}" })).Ok()["model_version"]!;

    private static string[] Names(JsonNode models) => models.AsArray().Select(m => m!["name"]!.GetValue<string>()).ToArray();

    private static string[] Keys(params string[] keys) => keys.Order(StringComparer.Ordinal).ToArray();

    private static string[] Keys(JsonObject o) => o.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
}
