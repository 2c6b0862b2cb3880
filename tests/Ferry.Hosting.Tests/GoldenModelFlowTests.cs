using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Ferry.Hosting.Tests;

/// <summary>
/// Replays MLflow 3.3's <c>log_model</c> + <c>register</c> + <c>load_model</c> flow (traffic_model_flow.jsonl) against Ferry
/// through <see cref="GoldenReplay"/>: every request, the registry ones included. Beyond the shapes, it checks the values
/// that flow depends on: the <c>mlflow.modelVersions</c> tag MLflow's server wrote on the logged model during
/// model-versions/create (#19, #20), and the download URI of a version registered from <c>models:/&lt;id&gt;</c> (#25).
/// </summary>
public sealed class GoldenModelFlowTests(ITestOutputHelper output)
{
    private const string ModelVersionsTag = "mlflow.modelVersions";

    [Fact]
    public async Task Model_flow_replays_with_the_same_statuses_shapes_and_registry_values()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(GoldenTraffic.Folder, "traffic_model_flow.jsonl"));
        await using var server = await ServerFixture.StartAsync();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var replayed = 0;
        var failures = new List<string>();

        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var record = JsonNode.Parse(lines[i])!.AsObject();
            replayed++;
            if (await GoldenReplay.ReplayAsync(server, record, ids) is { } failure)
            {
                failures.Add($"#{i} {failure}");
                continue;
            }

            if (await ValueDifferenceAsync(server, record, ids) is { } difference)
            {
                failures.Add($"#{i} {difference}");
            }
        }

        output.WriteLine($"replayed {replayed}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(lines.Count(l => !string.IsNullOrWhiteSpace(l)), replayed);
    }

    /// <summary>Compares the values the flow relies on (with recorded ids mapped to Ferry's); null when they agree.</summary>
    private static async Task<string?> ValueDifferenceAsync(ServerFixture server, JsonObject record, Dictionary<string, string> ids)
    {
        var path = record["path"]!.GetValue<string>();
        var recorded = record["resp"];
        if (path.Contains("/logged-models/", StringComparison.Ordinal) && record["method"]!.GetValue<string>() == "GET" && TagValue(recorded, ModelVersionsTag) is { } expectedTag)
        {
            var actual = TagValue((await server.GetAsync(GoldenReplay.MapPath(path, ids))).Ok(), ModelVersionsTag);
            return actual == expectedTag ? null : $"{path}: {ModelVersionsTag} is {actual ?? "missing"}, MLflow wrote {expectedTag}";
        }

        if (path.Contains("/model-versions/get-download-uri", StringComparison.Ordinal))
        {
            var expected = string.Join('/', recorded!["artifact_uri"]!.GetValue<string>().Split('/').Select(s => ids.GetValueOrDefault(s, s)));
            var actual = (await server.GetAsync(GoldenReplay.MapPath(path, ids))).Ok()["artifact_uri"]!.GetValue<string>();
            return actual == expected ? null : $"{path}: artifact_uri {actual}, MLflow (ids mapped) {expected}";
        }

        return null;
    }

    private static string? TagValue(JsonNode? response, string key) =>
        response?["model"]?["info"]?["tags"]?.AsArray().FirstOrDefault(t => t!["key"]!.GetValue<string>() == key)?["value"]?.GetValue<string>();
}
