using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Ferry.Hosting.Tests;

/// <summary>
/// Replays MLflow 3.3's <c>log_model</c> + <c>load_model</c> flow (traffic_model_flow.jsonl) against Ferry through
/// <see cref="GoldenReplay"/>. Registry requests (registered-models/*, model-versions/*) are skipped: they are built
/// elsewhere. So are the logged-model reads whose recorded answer carries the <c>mlflow.modelVersions</c> tag, which
/// MLflow's server sets during model-versions/create (#19, #20): they depend on a skipped registry call.
/// </summary>
public sealed class GoldenModelFlowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Model_flow_replays_with_the_same_statuses_and_shapes_except_the_registry()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(GoldenTraffic.Folder, "traffic_model_flow.jsonl"));
        await using var server = await ServerFixture.StartAsync();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var replayed = new List<int>();
        var skipped = new List<string>();
        var failures = new List<string>();

        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var record = JsonNode.Parse(lines[i])!.AsObject();
            var path = record["path"]!.GetValue<string>();
            var dependsOnRegistry = path.Contains("/logged-models/", StringComparison.Ordinal)
                && record["resp"]?.ToJsonString().Contains("mlflow.modelVersions", StringComparison.Ordinal) == true;
            if (path.Contains("/registered-models/", StringComparison.Ordinal) || path.Contains("/model-versions/", StringComparison.Ordinal) || dependsOnRegistry)
            {
                skipped.Add($"#{i} {record["method"]} {path.Split('?')[0]}");
                continue;
            }

            replayed.Add(i);
            if (await GoldenReplay.ReplayAsync(server, record, ids) is { } failure)
            {
                failures.Add($"#{i} {failure}");
            }
        }

        output.WriteLine($"replayed {replayed.Count}: #{string.Join(", #", replayed)}");
        output.WriteLine($"skipped {skipped.Count}: {string.Join("; ", skipped)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(replayed.Count >= 28, $"only {replayed.Count} requests replayed; skipped: {string.Join(", ", skipped)}");
    }
}
