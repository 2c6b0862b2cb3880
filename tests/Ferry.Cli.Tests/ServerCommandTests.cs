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

    private static async Task<string> WaitForUrlAsync(StringWriter output, Task<int> run)
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
