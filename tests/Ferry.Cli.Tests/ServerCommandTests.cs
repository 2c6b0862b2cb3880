using System.Text.RegularExpressions;

namespace Ferry.Cli.Tests;

public sealed partial class ServerCommandTests
{
    [Fact]
    public async Task Server_serves_the_store_from_FERRY_STORE_and_stops_cleanly_on_cancel()
    {
        var home = Directory.CreateTempSubdirectory("ferry-cli-server-");
        try
        {
            var store = Path.Combine(home.FullName, "elsewhere", "tracking.db");
            var output = new StringWriter();
            var error = new StringWriter();
            var context = new CliContext(CliConsole.ForWriters(output, error), TimeProvider.System, name => name switch
            {
                "FERRY_HOME" => home.FullName,
                "FERRY_STORE" => store,
                _ => null,
            });
            using var stop = new CancellationTokenSource();
            var run = new CliApp(context).RunAsync(["server", "--port", "0"], stop.Token);

            var url = await WaitForUrlAsync(output, run);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal("OK", await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            var experiment = await client.GetStringAsync(new Uri("/api/2.0/mlflow/experiments/get?experiment_id=0", UriKind.Relative));
            Assert.Contains("\"Default\"", experiment, StringComparison.Ordinal);

            stop.Cancel();
            Assert.Equal(CliApp.Success, await run.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(File.Exists(store), error.ToString());
            Assert.False(File.Exists(Path.Combine(home.FullName, "ferry.db")));
            Assert.Contains("stopped", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bad_store_uri_is_a_usage_error()
    {
        var home = Directory.CreateTempSubdirectory("ferry-cli-server-");
        try
        {
            var result = await CliRunner.RunAsync(home.FullName, "server", "--port", "0", "--store", "mysql://x/y");
            Assert.Equal(CliApp.UsageError, result.ExitCode);
            Assert.Contains("mysql", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [S3Fact]
    public async Task Server_and_artifact_commands_share_an_s3_artifact_store_named_by_FERRY_ARTIFACTS()
    {
        var home = Directory.CreateTempSubdirectory("ferry-cli-server-");
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["FERRY_HOME"] = home.FullName,
                ["FERRY_ARTIFACTS"] = $"s3://ferry-test/cli-{Guid.NewGuid():N}",
                ["MLFLOW_S3_ENDPOINT_URL"] = S3FactAttribute.Url,
                ["AWS_ACCESS_KEY_ID"] = "S3RVER",
                ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            };
            var output = new StringWriter();
            var context = new CliContext(CliConsole.ForWriters(output, new StringWriter()), TimeProvider.System, environment.GetValueOrDefault);
            using var stop = new CancellationTokenSource();
            var server = new CliApp(context).RunAsync(["server", "--port", "0"], stop.Token);
            var url = await WaitForUrlAsync(output, server);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using var created = await client.PostAsync(new Uri("/api/2.0/mlflow/runs/create", UriKind.Relative), new StringContent("""{"experiment_id":"0"}"""));
            var info = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("run").GetProperty("info");
            var runId = info.GetProperty("run_id").GetString()!;
            var proxied = info.GetProperty("artifact_uri").GetString()!["mlflow-artifacts:/".Length..];
            var content = $"weights for {runId}";
            using var put = await client.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{proxied}/model/weights.txt", UriKind.Relative), new StringContent(content));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            stop.Cancel();
            Assert.Equal(CliApp.Success, await server.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains(environment["FERRY_ARTIFACTS"], output.ToString(), StringComparison.Ordinal);

            // The CLI, with the same environment and no server, reads the file back from S3; nothing went to the home's folder.
            var download = Path.Combine(home.FullName, "download");
            var got = new StringWriter();
            var errors = new StringWriter();
            var cli = new CliContext(CliConsole.ForWriters(got, errors), TimeProvider.System, environment.GetValueOrDefault);
            var exit = await new CliApp(cli).RunAsync(["artifacts", "get", runId, "model/weights.txt", "-o", download], CancellationToken.None);
            Assert.True(exit == CliApp.Success, errors.ToString());
            Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(download, "weights.txt")));
            Assert.False(Directory.Exists(Path.Combine(home.FullName, "artifacts")));
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_s3_endpoint_is_a_usage_error_naming_the_variable()
    {
        var home = Directory.CreateTempSubdirectory("ferry-cli-server-");
        try
        {
            var environment = new Dictionary<string, string> { ["FERRY_HOME"] = home.FullName, ["MLFLOW_S3_ENDPOINT_URL"] = "localhost:9000" };
            var error = new StringWriter();
            var context = new CliContext(CliConsole.ForWriters(new StringWriter(), error), TimeProvider.System, environment.GetValueOrDefault);
            var exit = await new CliApp(context).RunAsync(["server", "--port", "0", "--artifacts", "s3://bucket/prefix"], CancellationToken.None);
            Assert.Equal(CliApp.UsageError, exit);
            Assert.Contains("MLFLOW_S3_ENDPOINT_URL", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>The URL a server started in-process reports once it listens.</summary>
    internal static async Task<string> WaitForUrlAsync(StringWriter output, Task<int> run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the server exited early with {await run}: {output}");
            }

            var match = ListeningUrl().Match(output.ToString());
            if (match.Success)
            {
                return match.Value;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the server did not report its address: {output}");
        return "";
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningUrl();
}
