using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ferry.Cli.Tests;

/// <summary>
/// The whole rollout from the command line: models registered with `ferry models import`, rolled out with
/// `ferry deploy`, served by `ferry server` from the registry over real HTTP.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private static readonly string[] IrisClasses = ["setosa", "versicolor", "virginica"];
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-serve-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task ImportAsync()
    {
        var result = await CliRunner.RunAsync(_home, "models", "import", PredictTestData.Fixture("iris_logreg.onnx"), "--name", "iris",
            "--classes", string.Join(',', IrisClasses), "--columns-from", CliRunner.Sample("iris.csv"));
        Assert.True(result.ExitCode == 0, result.Error);
    }

    private async Task<CliResult> DeployAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(_home, ["deploy", "iris", .. args]);
        Assert.True(result.ExitCode == 0, result.Error);
        return result;
    }

    [Fact]
    public async Task Registered_versions_are_served_at_the_champion_with_a_canary_and_a_rollback_taking_effect_within_the_poll()
    {
        await ImportAsync();
        await ImportAsync();
        await DeployAsync("--champion", "1");
        var output = new StringWriter();
        var context = new CliContext(CliConsole.ForWriters(output, new StringWriter()), TimeProvider.System, name => name == "FERRY_HOME" ? _home : null);
        using var stop = new CancellationTokenSource();
        var server = new CliApp(context).RunAsync(["server", "--port", "0", "--poll", "0.2"], stop.Token);
        using var client = new HttpClient { BaseAddress = new Uri(await ServerCommandTests.WaitForUrlAsync(output, server)) };
        await WaitReadyAsync(client);
        var request = new { instances = new[] { new { sepal_length_cm = 6.3, sepal_width_cm = 2.9, petal_length_cm = 5.6, petal_width_cm = 1.8 } } };

        async Task<HashSet<string>> VersionsAsync(int requests)
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < requests; i++)
            {
                using var response = await client.PostAsJsonAsync(new Uri("/v1/models/iris:predict", UriKind.Relative), request);
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
                Assert.Equal("virginica", body["predictions"]![0]!["label"]!.GetValue<string>());
                seen.Add(body["model_version"]!.GetValue<string>());
            }

            return seen;
        }

        async Task WaitForAsync(Func<HashSet<string>, bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition(await VersionsAsync(20)))
            {
                Assert.True(DateTime.UtcNow < deadline, "the server did not follow the registry within 30 s");
            }
        }

        await WaitForAsync(v => v.SetEquals(["1"]));
        var canary = await DeployAsync("--canary", "2", "--weight", "50");
        Assert.Contains("version 2 takes 50%", canary.Output, StringComparison.Ordinal);
        await WaitForAsync(v => v.SetEquals(["1", "2"]));
        await DeployAsync("--rollback");
        await WaitForAsync(v => v.SetEquals(["1"]));
        var shadow = await DeployAsync("--shadow", "2");
        Assert.Contains("shadow: version 2 gets a copy of 100%", shadow.Output, StringComparison.Ordinal);
        await WaitForAsync(v => v.SetEquals(["1"]));  // a shadow answers nobody
        await DeployAsync("--no-shadow", "--promote");  // no canary: the challenger (the latest import) is promoted
        await WaitForAsync(v => v.SetEquals(["2"]));
        var rollback = await DeployAsync("--rollback");
        Assert.Contains("iris@champion → version 1", rollback.Output, StringComparison.Ordinal);
        await WaitForAsync(v => v.SetEquals(["1"]));

        stop.Cancel();
        Assert.Equal(CliApp.Success, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server was not ready within 30 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Deploy_refuses_unknown_versions_and_conflicting_actions_naming_them()
    {
        await ImportAsync();

        var unknown = await CliRunner.RunAsync(_home, "deploy", "iris", "--canary", "7");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no version 7", unknown.Error, StringComparison.Ordinal);
        var both = await CliRunner.RunAsync(_home, "deploy", "iris", "--promote", "--rollback");
        Assert.Equal(CliApp.UsageError, both.ExitCode);
        var nothing = await CliRunner.RunAsync(_home, "deploy", "iris", "--rollback");
        Assert.Equal(CliApp.UsageError, nothing.ExitCode);
        Assert.Contains("no canary and no earlier champion", nothing.Error, StringComparison.Ordinal);
        var shown = await CliRunner.RunAsync(_home, "deploy", "iris");
        Assert.Contains("latest (1) serves", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_as_a_process_logs_each_request_as_json_with_its_request_id()
    {
        var import = await Ferry.Learn.Onnx.OnnxImporter.InspectAsync(PredictTestData.Fixture("iris_logreg.onnx"),
            new Ferry.Learn.Onnx.OnnxImportOptions { HeaderColumns = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"], Classes = IrisClasses }, CancellationToken.None);
        await Ferry.Learn.Onnx.OnnxImporter.WritePackageAsync(Path.Combine(_home, "models", "iris", "1"), import, null, TimeProvider.System, CancellationToken.None);
        using var process = CliRunner.Start(_home, "serve", "--models", Path.Combine(_home, "models"), "--port", "0", "--log-requests", "--log-json");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? url = null;
            while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                url = System.Text.RegularExpressions.Regex.Match(line, @"http://127\.0\.0\.1:\d+").Value is { Length: > 0 } found ? found : null;
            }

            using var client = new HttpClient { BaseAddress = new Uri(url!) };
            await WaitReadyAsync(client);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/iris/infer")
            {
                Content = JsonContent.Create(new { inputs = new[] { new { name = "x", shape = new[] { 1, 4 }, datatype = "FP32", data = new[] { 5.1, 3.5, 1.4, 0.2 } } } }),
            };
            request.Headers.Add("X-Request-Id", "trace-42");
            using var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

            JsonNode? logged = null;
            while (logged is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                logged = line.StartsWith('{') && line.Contains("trace-42", StringComparison.Ordinal) ? JsonNode.Parse(line) : null;
            }

            var state = logged!["State"]!;
            Assert.Equal(("trace-42", 200, 1), (state["RequestId"]!.GetValue<string>(), int.Parse(state["Status"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(state["Version"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--models", "no-such-folder", "not a folder")]
    [InlineData("--log-sample", "2", "sample rate")]
    [InlineData("--unknown-categories", "guess", "reject or missing")]
    [InlineData("--max-batch", "0", "MaxBatchRows")]
    [InlineData("--api-key", "short", "16 characters")]
    public async Task Serve_refuses_bad_options_before_listening_naming_the_option(string option, string value, string expected)
    {
        var result = await CliRunner.RunAsync(_home, "serve", "--port", "0", option, value);

        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
