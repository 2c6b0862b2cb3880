using System.Net;
using Ferry.Hosting.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Ferry.Hosting.Tests;

public sealed class WireConventionTests
{
    [Fact]
    public void Query_values_are_coerced_and_repeated_keys_are_lists()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["max_results"] = "10000",
            ["experiment_ids"] = new StringValues(["1", "2"]),
            ["order_by"] = "name",
            ["value"] = "NaN",
            ["flag"] = "true",
        });
        var message = WireMessage.FromQuery(query);
        Assert.Equal(10000, message.Int64("max_results"));
        Assert.Equal(["1", "2"], message.Strings("experiment_ids"));
        Assert.Equal(["name"], message.Strings("order_by"));
        Assert.True(double.IsNaN(message.Double("value")!.Value));
        Assert.True(message.Bool("flag"));
        Assert.Null(message.String("absent"));
        Assert.Throws<FerryException>(() => message.Int64("order_by"));
    }

    [Fact]
    public void Bare_non_finite_tokens_are_quoted_outside_strings_only()
    {
        Assert.Equal("""{"a":"NaN","b":"-Infinity","c":"NaN in text"}""",
            WireBody.QuoteNonFiniteTokens("""{"a":NaN,"b":-Infinity,"c":"NaN in text"}"""));
        var plain = """{"a":1}""";
        Assert.Same(plain, WireBody.QuoteNonFiniteTokens(plain));
    }

    [Fact]
    public async Task Health_and_version_answer_text()
    {
        await using var server = await ServerFixture.StartAsync();
        var health = await server.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("OK", health.Body);
        var version = await server.GetAsync("/version");
        Assert.Equal(HttpStatusCode.OK, version.Status);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Body);
    }

    [Fact]
    public async Task Preview_prefix_serves_the_same_api()
    {
        await using var server = await ServerFixture.StartAsync();
        var reply = await server.GetAsync("/api/2.0/preview/mlflow/experiments/get?experiment_id=0");
        Assert.Equal("Default", reply.Ok()["experiment"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.PostRawAsync("experiments/create", "{\"name\": ")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.PostRawAsync("experiments/create", "[1,2]")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var message = (await server.PostRawAsync("runs/create", """{"start_time": "soon"}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("start_time", message, StringComparison.Ordinal);
        message = (await server.PostRawAsync("runs/log-batch", """{"run_id": "x", "metrics": {"key": 1}}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("metrics", message, StringComparison.Ordinal);
        (await server.PostRawAsync("experiments/create", "")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Body_over_the_limit_is_400_with_a_message()
    {
        await using var server = await ServerFixture.StartAsync(maxBodyBytes: 1024);
        var message = (await server.PostAsync("experiments/create", new { name = new string('x', 2000) }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("1024", message, StringComparison.Ordinal);
        // Within the limit the same server still answers.
        await server.CreateExperimentAsync("small");
    }

    [Fact]
    public async Task Unknown_api_endpoint_is_404_ENDPOINT_NOT_FOUND_and_wrong_method_is_not_5xx()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.GetAsync("/api/2.0/mlflow/experiments/frobnicate")).Error(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        (await server.PostAsync("/api/2.0/mlflow/nothing/here", new { })).Error(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        var wrongMethod = await server.GetAsync("runs/create");
        Assert.InRange((int)wrongMethod.Status, 400, 499);
        Assert.Equal("ENDPOINT_NOT_FOUND", wrongMethod.Json!["error_code"]!.GetValue<string>());
    }
}
