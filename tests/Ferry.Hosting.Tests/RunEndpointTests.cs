using System.Net;

namespace Ferry.Hosting.Tests;

public sealed class RunEndpointTests
{
    [Fact]
    public async Task Create_get_update_delete_restore()
    {
        await using var server = await ServerFixture.StartAsync();
        var exp = await server.CreateExperimentAsync("runs");
        var created = (await server.PostAsync("runs/create", new
        {
            experiment_id = exp, user_id = "ann", run_name = "r1", start_time = 1234,
            tags = new[] { new { key = "mlflow.source.type", value = "LOCAL" } },
        })).Ok()["run"]!;
        var info = created["info"]!;
        var runId = info["run_id"]!.GetValue<string>();
        Assert.Equal(runId, info["run_uuid"]!.GetValue<string>());
        Assert.Equal("RUNNING", info["status"]!.GetValue<string>());
        Assert.Equal(1234, info["start_time"]!.GetValue<long>());
        Assert.Null(info["end_time"]);
        Assert.Equal($"mlflow-artifacts:/{exp}/{runId}/artifacts", info["artifact_uri"]!.GetValue<string>());
        Assert.Null(created["outputs"]);

        var fetched = (await server.GetAsync($"runs/get?run_uuid={runId}&run_id={runId}")).Ok()["run"]!;
        Assert.Equal("r1", fetched["info"]!["run_name"]!.GetValue<string>());
        Assert.NotNull(fetched["outputs"]);

        var updated = (await server.PostAsync("runs/update", new { run_id = runId, status = "FINISHED", end_time = "5678" })).Ok()["run_info"]!;
        Assert.Equal("FINISHED", updated["status"]!.GetValue<string>());
        Assert.Equal(5678, updated["end_time"]!.GetValue<long>());
        (await server.PostAsync("runs/update", new { run_id = runId, status = "DONE" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        Assert.Equal("{}", (await server.PostAsync("runs/delete", new { run_id = runId })).Body);
        Assert.Equal("deleted", (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!["info"]!["lifecycle_stage"]!.GetValue<string>());
        Assert.Equal("{}", (await server.PostAsync("runs/restore", new { run_id = runId })).Body);
        Assert.Equal("active", (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!["info"]!["lifecycle_stage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_errors_use_MLflow_codes()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.GetAsync("runs/get?run_id=0123456789abcdef0123456789abcdef")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.PostAsync("runs/create", new { experiment_id = "777" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var message = (await server.PostAsync("runs/delete", new { })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'run_id'", message, StringComparison.Ordinal);
        (await server.PostAsync("runs/delete-tag", new { run_id = "0123456789abcdef0123456789abcdef", key = "k" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Run_in_Default_experiment_when_none_is_given()
    {
        await using var server = await ServerFixture.StartAsync();
        var run = (await server.PostAsync("runs/create", new { })).Ok()["run"]!;
        Assert.Equal("0", run["info"]!["experiment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Log_metric_param_tag_and_history()
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync("log"));
        Assert.Equal("{}", (await server.PostAsync("runs/log-metric", new { run_id = runId, key = "loss", value = 0.9, timestamp = 10, step = 0 })).Body);
        // int64 as strings and run_uuid alone, as older clients send them.
        Assert.Equal("{}", (await server.PostAsync("runs/log-metric", new { run_uuid = runId, key = "loss", value = 0.5, timestamp = "20", step = "1" })).Body);
        Assert.Equal("{}", (await server.PostAsync("runs/log-parameter", new { run_id = runId, key = "alpha", value = "0.5" })).Body);
        Assert.Equal("{}", (await server.PostAsync("runs/log-parameter", new { run_id = runId, key = "alpha", value = "0.5" })).Body);
        var message = (await server.PostAsync("runs/log-parameter", new { run_id = runId, key = "alpha", value = "0.7" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("alpha", message, StringComparison.Ordinal);
        Assert.Equal("{}", (await server.PostAsync("runs/set-tag", new { run_id = runId, key = "team", value = "ferry" })).Body);

        var run = (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!;
        var loss = Assert.Single(run["data"]!["metrics"]!.AsArray())!;
        Assert.Equal(0.5, loss["value"]!.GetValue<double>());
        Assert.Equal(1, loss["step"]!.GetValue<long>());
        Assert.Contains(run["data"]!["tags"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "team");

        var history = (await server.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss")).Ok()["metrics"]!.AsArray();
        Assert.Equal([10L, 20L], history.Select(m => m!["timestamp"]!.GetValue<long>()));

        var first = (await server.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss&max_results=1")).Ok();
        Assert.Single(first["metrics"]!.AsArray());
        var token = first["next_page_token"]!.GetValue<string>();
        var second = (await server.GetAsync($"metrics/get-history?run_id={runId}&metric_key=loss&max_results=1&page_token={Uri.EscapeDataString(token)}")).Ok();
        Assert.Equal(20, second["metrics"]![0]!["timestamp"]!.GetValue<long>());
        Assert.Null(second["next_page_token"]);

        Assert.Equal("{}", (await server.PostAsync("runs/delete-tag", new { run_id = runId, key = "team" })).Body);
        message = (await server.PostAsync("runs/log-metric", new { run_id = runId, key = "loss", value = 1.0 })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Missing value for required parameter 'timestamp'", message, StringComparison.Ordinal);
        (await server.GetAsync("metrics/get-history?run_id=" + runId)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [InlineData("""{"run_id":"RUN","key":"m","value":"NaN","timestamp":1}""", double.NaN)]
    [InlineData("""{"run_id":"RUN","key":"m","value":"Infinity","timestamp":1}""", double.PositiveInfinity)]
    [InlineData("""{"run_id":"RUN","key":"m","value":"-Infinity","timestamp":1}""", double.NegativeInfinity)]
    [InlineData("""{"run_id":"RUN","key":"m","value":NaN,"timestamp":1}""", double.NaN)]
    [InlineData("""{"run_id":"RUN","key":"m","value":-Infinity,"timestamp":1}""", double.NegativeInfinity)]
    public async Task Non_finite_metrics_round_trip(string body, double expected)
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");
        Assert.Equal("{}", (await server.PostRawAsync("runs/log-metric", body.Replace("RUN", runId, StringComparison.Ordinal))).Body);
        var value = (await server.GetAsync($"metrics/get-history?run_id={runId}&metric_key=m")).Ok()["metrics"]![0]!["value"]!;
        // Protobuf's JSON form, which MLflow's client parses: non-finite doubles as strings.
        Assert.Equal(expected, double.Parse(value.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(System.Text.Json.JsonValueKind.String, value.GetValueKind());
    }

    [Fact]
    public async Task Log_batch_stores_all_and_enforces_limits_atomically()
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");
        var ok = await server.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, 1000).Select(i => new { key = "m", value = i, timestamp = i, step = i }),
        });
        Assert.Equal("{}", ok.Body);

        var tooMany = await server.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, 1001).Select(i => new { key = "n", value = i, timestamp = i }),
        });
        tooMany.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var tooManyParams = await server.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            @params = Enumerable.Range(0, 101).Select(i => new { key = $"p{i}", value = "v" }),
        });
        tooManyParams.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        // A bad item anywhere refuses the whole batch.
        var mixed = await server.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = new object[] { new { key = "good", value = 1, timestamp = 1 } },
            @params = new[] { new { key = "x", value = new string('v', 6001) } },
        });
        mixed.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var missing = await server.PostAsync("runs/log-batch", new { run_id = runId, metrics = new[] { new { key = "k", value = 1 } } });
        Assert.Contains("metrics[0].timestamp", missing.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);

        var run = (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!;
        Assert.Equal(["m"], run["data"]!["metrics"]!.AsArray().Select(m => m!["key"]!.GetValue<string>()));
        Assert.Equal(1000, (await server.GetAsync($"metrics/get-history?run_id={runId}&metric_key=m")).Ok()["metrics"]!.AsArray().Count);
    }

    [Fact]
    public async Task Log_inputs_shows_datasets_on_the_run()
    {
        await using var server = await ServerFixture.StartAsync();
        var runId = await server.CreateRunAsync("0");
        var reply = await server.PostAsync("runs/log-inputs", new
        {
            run_id = runId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "training" } },
                    dataset = new { name = "iris", digest = "abc123", source_type = "local", source = "{\"uri\":\"iris.csv\"}", schema = "{}" },
                },
            },
        });
        Assert.Equal("{}", reply.Body);
        var input = (await server.GetAsync($"runs/get?run_id={runId}")).Ok()["run"]!["inputs"]!["dataset_inputs"]![0]!;
        Assert.Equal("iris", input["dataset"]!["name"]!.GetValue<string>());
        Assert.Equal("training", input["tags"]![0]!["value"]!.GetValue<string>());

        var bad = await server.PostAsync("runs/log-inputs", new { run_id = runId, datasets = new[] { new { dataset = new { name = "x" } } } });
        Assert.Contains("digest", bad.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_filters_orders_and_pages()
    {
        await using var server = await ServerFixture.StartAsync();
        var exp = await server.CreateExperimentAsync("search");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var runId = await server.CreateRunAsync(exp, $"r{i}");
            ids.Add(runId);
            await server.PostAsync("runs/log-metric", new { run_id = runId, key = "acc", value = i / 10.0, timestamp = 1 });
        }

        var found = new List<double>();
        string? token = null;
        do
        {
            var page = (await server.PostAsync("runs/search", new
            {
                experiment_ids = new[] { exp }, filter = "metrics.acc > 0.15", run_view_type = "ACTIVE_ONLY",
                max_results = 2, order_by = new[] { "metrics.acc DESC" }, page_token = token,
            })).Ok();
            found.AddRange(page["runs"]!.AsArray().Select(r => r!["data"]!["metrics"]![0]!["value"]!.GetValue<double>()));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal([0.4, 0.3, 0.2], found);

        var none = (await server.PostAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.acc > 5" })).Ok();
        Assert.Null(none["runs"]);
        var message = (await server.PostAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.acc >> 1" }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.NotEmpty(message);
    }
}
