using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Hosting.Endpoints;
using Xunit.Abstractions;

namespace Ferry.Hosting.Tests;

/// <summary>
/// Replays what the real MLflow 3.3 Python client sent to MLflow's own server (traffic_client_flow.jsonl) against Ferry,
/// and checks each status code and response shape (keys recursively and JSON value kinds; ids and times differ).
/// Every request of that flow is replayed: the artifact proxy and logged-model requests (#17, #18, #24, #26, #28,
/// #30, #31, #33) go through <see cref="GoldenReplay"/>, which also replays file bodies. The registry requests
/// (#34–#47) are replayed too; the recorded server already held <c>lr-model</c> from the model flow, so it is
/// registered first (see <see cref="SeedModelFlowRegistrationAsync"/>).
/// </summary>
public sealed class GoldenTrafficTests(ITestOutputHelper output)
{
    private const string ApiPrefix = "/api/2.0/mlflow/";

    [Fact]
    public async Task Client_flow_replays_with_the_same_statuses_and_shapes()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(GoldenTraffic.Folder, "traffic_client_flow.jsonl"));
        await using var server = await ServerFixture.StartAsync();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var replayed = new List<int>();
        var skipped = new List<string>();
        var failures = new List<string>();
        await SeedModelFlowRegistrationAsync(server);

        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var record = JsonNode.Parse(lines[i])!.AsObject();
            var method = record["method"]!.GetValue<string>();
            var path = record["path"]!.GetValue<string>();
            if (GoldenReplay.ServedByArtifactRoutes(method, path))
            {
                replayed.Add(i);
                if (await GoldenReplay.ReplayAsync(server, record, ids) is { } failure)
                {
                    failures.Add($"#{i} {failure}");
                }

                continue;
            }

            if (!Implemented(method, path))
            {
                skipped.Add($"#{i} {method} {path.Split('?')[0]}");
                continue;
            }

            replayed.Add(i);
            var body = record["req"] is JsonObject request ? GoldenReplay.MapIds(request.DeepClone(), ids).ToJsonString() : null;
            var reply = await server.SendAsync(new HttpMethod(method), GoldenReplay.MapPath(path, ids), body);
            var expectedStatus = record["status"]!.GetValue<int>();
            if ((int)reply.Status != expectedStatus)
            {
                failures.Add($"#{i} {method} {path}: status {(int)reply.Status}, MLflow {expectedStatus}: {reply.Body}");
                continue;
            }

            var actual = reply.Json;
            var difference = ShapeDifference(record["resp"], actual, "$");
            if (difference is not null)
            {
                failures.Add($"#{i} {method} {path}: {difference}\n  Ferry:  {reply.Body}\n  MLflow: {record["resp"]?.ToJsonString()}");
                continue;
            }

            GoldenReplay.Learn(path, record["resp"], actual, ids);
        }

        output.WriteLine($"replayed {replayed.Count}: #{string.Join(", #", replayed)}");
        output.WriteLine($"skipped {skipped.Count}: {string.Join("; ", skipped)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The whole client flow is served: nothing may be skipped any more.
        Assert.Empty(skipped);
        Assert.Equal(lines.Count(l => !string.IsNullOrWhiteSpace(l)), replayed.Count);
    }

    /// <summary>
    /// Registers <c>lr-model</c> version 1 as traffic_model_flow.jsonl (#5, #17, #18) did on the recorded server before this
    /// flow, so the registered-models search (#42) finds the same two models: a logged model with a source run, registered
    /// from its <c>models:/</c> URI (the version takes its run from the model, as MLflow's did).
    /// </summary>
    private static async Task SeedModelFlowRegistrationAsync(ServerFixture server)
    {
        var runId = await server.CreateRunAsync("0");
        var modelId = (await server.PostAsync("logged-models", new { experiment_id = "0", name = "model", source_run_id = runId })).Ok()["model"]!["info"]!["model_id"]!.GetValue<string>();
        (await server.PostAsync("registered-models/create", new { name = "lr-model" })).Ok();
        var version = (await server.PostAsync("model-versions/create", new { name = "lr-model", source = $"models:/{modelId}", model_id = modelId })).Ok();
        Assert.Equal(runId, version["model_version"]!["run_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"a":{"b":1}}""", """{"a":{"b":2}}""", true)]
    [InlineData("""{"a":{"b":1}}""", """{"a":{"b":"1"}}""", false)]
    [InlineData("""{"a":{"b":1}}""", """{"a":{"b":1,"c":1}}""", false)]
    [InlineData("""{"a":[{"b":true}]}""", """{"a":[{"b":false}]}""", true)]
    [InlineData("""{"a":[{"b":1}]}""", """{"a":[]}""", false)]
    [InlineData("""{}""", """{"a":{}}""", false)]
    public void Shape_comparison_tells_shapes_apart(string expected, string actual, bool same) =>
        Assert.Equal(same, ShapeDifference(JsonNode.Parse(expected), JsonNode.Parse(actual), "$") is null);

    private static bool Implemented(string method, string path)
    {
        var endpoint = path.Split('?')[0];
        return endpoint.StartsWith(ApiPrefix, StringComparison.Ordinal)
            && TrackingRoutes.All.Any(r => r.Verb == method && ApiPrefix + r.Path == endpoint);
    }

    /// <summary>Records the ids Ferry handed out in place of MLflow's, from the responses that create them.</summary>
    /// <summary>Null when both have the same keys (recursively) and JSON value kinds; else where they first differ.</summary>
    internal static string? ShapeDifference(JsonNode? expected, JsonNode? actual, string at)
    {
        var expectedKind = expected?.GetValueKind() ?? JsonValueKind.Null;
        var actualKind = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (Normalize(expectedKind) != Normalize(actualKind))
        {
            return $"{at} is {actualKind}, MLflow sent {expectedKind}";
        }

        switch (expected)
        {
            case JsonObject e:
                var a = actual!.AsObject();
                var missing = e.Select(p => p.Key).Except(a.Select(p => p.Key)).ToList();
                var extra = a.Select(p => p.Key).Except(e.Select(p => p.Key)).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    return $"{at} keys differ: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]";
                }

                return e.Select(p => ShapeDifference(p.Value, a[p.Key], $"{at}.{p.Key}")).FirstOrDefault(d => d is not null);
            case JsonArray e:
                var array = actual!.AsArray();
                return e.Count != array.Count
                    ? $"{at} has {array.Count} items, MLflow sent {e.Count}"
                    : e.Select((item, i) => ShapeDifference(item, array[i], $"{at}[{i}]")).FirstOrDefault(d => d is not null);
            default:
                return null;
        }
    }

    private static JsonValueKind Normalize(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;
}
