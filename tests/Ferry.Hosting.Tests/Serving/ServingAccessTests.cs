using System.Net;
using System.Text.Json.Nodes;
using Ferry.Serving.Tests;
using Ferry.Tracking;
using Ferry.Tracking.Predictions;

namespace Ferry.Hosting.Tests.Serving;

/// <summary>API keys and their scopes, the repository index, feedback into the prediction log.</summary>
public sealed class ServingAccessTests
{
    private const string InferenceKey = "inference-key-0123456789";
    private const string AdminKey = "admin-key-0123456789abcdef";

    [Fact]
    public async Task With_keys_inference_needs_a_key_and_management_needs_an_admin_key()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        await using var server = await ServingFixture.StartAsync([("cancer", 1, cancer)], o => o with { InferenceKeys = [InferenceKey], ManagementKeys = [AdminKey] });
        var body = RowJson.OpenInference(cancer.TestRows, [0]);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync("/v2/models/cancer/infer", body)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync("/v2/models/cancer/infer", body, ("Authorization", "Bearer wrong-key-0123456789"))).Status);
        (await server.PostAsync("/v2/models/cancer/infer", body, ("Authorization", "Bearer " + InferenceKey))).Ok();
        (await server.PostAsync("/v2/models/cancer/infer", body, ("X-API-Key", AdminKey))).Ok();
        var forbidden = await server.PostAsync("/v2/repository/index", "{}", ("X-API-Key", InferenceKey));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("management key", forbidden.Json!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var index = (await server.PostAsync("/v2/repository/index", "{}", ("X-API-Key", AdminKey))).Json!.AsArray();
        Assert.Equal(("cancer", "1", "READY"), (index[0]!["name"]!.GetValue<string>(), index[0]!["version"]!.GetValue<string>(), index[0]!["state"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/v2/health/ready")).Status);
    }

    [Fact]
    public async Task Feedback_attaches_the_true_label_to_the_logged_prediction_by_request_id()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        await using var server = await ServingFixture.StartAsync([("cancer", 1, cancer)]);
        var answer = await server.PostAsync("/v2/models/cancer/infer", RowJson.OpenInference(cancer.TestRows, [3]), ("X-Request-Id", "order-77"));
        answer.Ok();

        Reply feedback;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            // The prediction log writes in the background; until it has, the id is unknown (404).
            feedback = await server.PostAsync("/v1/feedback", new JsonObject { ["request_id"] = "order-77", ["label"] = cancer.Labels[3] }.ToJsonString());
        }
        while (feedback.Status == HttpStatusCode.NotFound && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(1, feedback.Ok()["updated"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostAsync("/v1/feedback", """{"request_id":"never-sent","label":"1"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostAsync("/v1/feedback", """{"request_id":"order-77","label":"1","extra":2}""")).Status);
        await using var store = await StoreFactory.OpenAsync(Path.Combine(server.Folder.FullName, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var logged = Assert.Single(await ((IPredictionLog)store).ReadAsync(new PredictionQuery("cancer"), CancellationToken.None));
        Assert.Equal(("order-77", 1, cancer.Labels[3]), (logged.RequestId, logged.Version, logged.Label));
        Assert.Contains(cancer.TestRows.Columns[0].Name, logged.InputsJson, StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
