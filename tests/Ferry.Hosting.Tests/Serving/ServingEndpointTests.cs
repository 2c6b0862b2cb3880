using System.Net;
using System.Text.Json.Nodes;
using Ferry.Learn.Packaging;
using Ferry.Serving.Tests;

namespace Ferry.Hosting.Tests.Serving;

/// <summary>The protocol endpoints over real HTTP on loopback, against real packages.</summary>
public sealed class ServingEndpointTests
{
    private static readonly int[] FirstRows = [0, 1, 2, 3, 4];

    private static async Task<(ServingFixture Server, ServingPackage Penguins, Learn.Predictions Expected)> StartAsync(Func<Hosting.Serving.ServingOptions, Hosting.Serving.ServingOptions>? configure = null)
    {
        var penguins = await ServingPackages.GetAsync("penguins", "lightgbm");
        var diabetes = await ServingPackages.GetAsync("diabetes");
        using var direct = await ModelFlavors.Builtin.LoadPredictorAsync(penguins.Path, CancellationToken.None);
        var expected = await direct.PredictAsync(penguins.TestRows.SelectRows(FirstRows), CancellationToken.None);
        var server = await ServingFixture.StartAsync([("penguins", 1, penguins), ("penguins", 2, penguins), ("diabetes", 7, diabetes)], configure);
        return (server, penguins, expected);
    }

    [Fact]
    public async Task Open_inference_answers_as_the_package_predicts_with_the_version_and_the_request_id()
    {
        var (server, penguins, expected) = await StartAsync();
        await using var _ = server;

        var reply = await server.PostAsync("/v2/models/penguins/infer", RowJson.OpenInference(penguins.TestRows, FirstRows, id: "abc"), ("X-Request-Id", "req-42"));

        var json = reply.Ok();
        Assert.Equal(("penguins", "2", "abc"), (json["model_name"]!.GetValue<string>(), json["model_version"]!.GetValue<string>(), json["id"]!.GetValue<string>()));
        Assert.Equal("req-42", reply.Headers!["X-Request-Id"]);
        // One sized write, not chunks: a plain HTTP/1.1 client reads exactly Content-Length bytes.
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(reply.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), reply.Headers["Content-Length"]);
        var outputs = json["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!);
        Assert.Equal(expected.Labels, outputs["label"]["data"]!.AsArray().Select(v => v!.GetValue<string>()));
        var probabilities = outputs["probabilities"]["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(expected.Probabilities!.SelectMany(p => p), probabilities);

        var pinned = (await server.PostAsync("/v2/models/penguins/versions/1/infer", RowJson.OpenInference(penguins.TestRows, FirstRows))).Ok();
        Assert.Equal("1", pinned["model_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_server_and_model_metadata_follow_the_open_inference_protocol()
    {
        var (server, penguins, _) = await StartAsync();
        await using var _ = server;

        Assert.True((await server.GetAsync("/v2/health/live")).Ok()["live"]!.GetValue<bool>());
        Assert.True((await server.GetAsync("/v2/health/ready")).Ok()["ready"]!.GetValue<bool>());
        Assert.Equal("ferry", (await server.GetAsync("/v2")).Ok()["name"]!.GetValue<string>());
        var metadata = (await server.GetAsync("/v2/models/penguins")).Ok();
        Assert.Equal(["1", "2"], metadata["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(penguins.TestRows.Columns.Select(c => c.Name).Order(), metadata["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).Order());
        Assert.True((await server.GetAsync("/v2/models/penguins/versions/1/ready")).Ok()["ready"]!.GetValue<bool>());
        var missing = await server.GetAsync("/v2/models/penguins/versions/9/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.Status);
        var unknown = await server.GetAsync("/v2/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("served: diabetes, penguins", unknown.Json!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tf_serving_predict_and_status_and_mlflow_invocations_give_the_same_answers()
    {
        var (server, penguins, expected) = await StartAsync();
        await using var _ = server;

        var instances = new JsonObject { ["instances"] = RowJson.Records(penguins.TestRows, FirstRows) }.ToJsonString();
        var predict = (await server.PostAsync("/v1/models/penguins:predict", instances)).Ok();
        Assert.Equal(expected.Labels, predict["predictions"]!.AsArray().Select(p => p!["label"]!.GetValue<string>()));
        var byVersion = (await server.PostAsync("/v1/models/penguins/versions/1:predict", instances)).Ok();
        Assert.Equal("1", byVersion["model_version"]!.GetValue<string>());
        var status = (await server.GetAsync("/v1/models/penguins")).Ok();
        Assert.Equal(["2", "1"], status["model_version_status"]!.AsArray().Select(s => s!["version"]!.GetValue<string>()));

        var split = (await server.PostAsync("/invocations?model=penguins", RowJson.DataframeSplit(penguins.TestRows, FirstRows))).Ok();
        Assert.Equal(expected.Labels, split["predictions"]!.AsArray().Select(p => p!.GetValue<string>()));
        var records = new JsonObject { ["dataframe_records"] = RowJson.Records(penguins.TestRows, FirstRows) }.ToJsonString();
        var byPath = (await server.PostAsync("/models/penguins/invocations", records)).Ok();
        Assert.Equal(expected.Labels, byPath["predictions"]!.AsArray().Select(p => p!.GetValue<string>()));
        var ambiguous = await server.PostAsync("/invocations", records);
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.Status);
        Assert.Contains("/invocations?model=NAME", ambiguous.Json!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_naming_the_field_and_never_a_5xx()
    {
        var (server, penguins, _) = await StartAsync(o => o with { MaxRequestBodyBytes = 4096 });
        await using var _ = server;
        var rows = RowJson.Records(penguins.TestRows, [0]);
        var numeric = penguins.TestRows.Columns.First(c => c is Data.Tables.NumericColumn).Name;

        var wrongType = rows.DeepClone();
        wrongType[0]![numeric] = "heavy";
        var extra = rows.DeepClone();
        extra[0]!["colour"] = "blue";
        var cases = new (string Body, string Expected)[]
        {
            (new JsonObject { ["instances"] = wrongType }.ToJsonString(), numeric),
            (new JsonObject { ["instances"] = extra }.ToJsonString(), "colour"),
            ("{\"instances\": [", "JSON"),
            (new JsonObject { ["instances"] = new JsonArray([.. Enumerable.Repeat(0, 200).Select(_ => rows[0]!.DeepClone())]) }.ToJsonString(), "4096 bytes"),
        };
        foreach (var (body, expected) in cases)
        {
            var reply = await server.PostAsync("/v1/models/penguins:predict", body);
            Assert.True((int)reply.Status is >= 400 and < 500, $"{(int)reply.Status}: {reply.Body}");
            Assert.Contains(expected, reply.Json!["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(reply.Json!["request_id"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Metrics_count_requests_per_model_and_version_in_prometheus_text()
    {
        var (server, penguins, _) = await StartAsync();
        await using var _ = server;
        for (var i = 0; i < 3; i++)
        {
            (await server.PostAsync("/v2/models/penguins/infer", RowJson.OpenInference(penguins.TestRows, [i]))).Ok();
        }

        var metrics = await server.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        var line = metrics.Body.Split('\n').Single(l => l.StartsWith("ferry_requests_total{", StringComparison.Ordinal) && l.Contains("model=\"penguins\"", StringComparison.Ordinal) && l.Contains("code=\"200\"", StringComparison.Ordinal));
        Assert.EndsWith(" 3", line, StringComparison.Ordinal);
        Assert.Contains("ferry_model_loads_total{", metrics.Body, StringComparison.Ordinal);
    }
}
