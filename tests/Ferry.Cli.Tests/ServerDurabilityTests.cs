using System.Net;
using System.Net.Sockets;
using System.Text;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Cli.Tests;

/// <summary>A real <c>ferry server</c> killed with SIGKILL while clients log batches leaves every batch whole or absent.</summary>
public sealed class ServerDurabilityTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-kill").FullName;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public async Task Sigkill_during_log_batch_leaves_each_batch_all_or_nothing()
    {
        var port = FreePort();
        using var server = CliRunner.Start(_home, "server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await WaitForHealthAsync(http, server);

        var created = await http.PostAsync("/api/2.0/mlflow/runs/create", Json("""{"experiment_id":"0"}"""));
        var runId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;

        // Four writers send 1000-point batches, each under its own metric key, until the server dies.
        var sent = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var b = 0; ; b++)
            {
                var key = $"w{w}b{b}";
                var metrics = string.Join(',', Enumerable.Range(0, 1000).Select(i => $$"""{"key":"{{key}}","value":{{i}},"timestamp":{{1000 + i}},"step":{{i}}}"""));
                try
                {
                    using var response = await http.PostAsync("/api/2.0/mlflow/runs/log-batch", Json($$"""{"run_id":"{{runId}}","metrics":[{{metrics}}]}"""));
                    Interlocked.Increment(ref sent);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return b;
                }
            }
        })).ToList();

        while (Volatile.Read(ref sent) < 20)
        {
            Assert.False(server.HasExited, "the server exited on its own");
            await Task.Delay(20);
        }

        Assert.Equal(0, kill(server.Id, 9));
        await server.WaitForExitAsync();
        var attempted = await Task.WhenAll(writers);

        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var whole = 0;
        for (var w = 0; w < 4; w++)
        {
            for (var b = 0; b <= attempted[w]; b++)
            {
                var count = (await store.GetMetricHistoryAsync(runId, $"w{w}b{b}", CancellationToken.None)).Count;
                Assert.True(count is 0 or 1000, $"batch w{w}b{b} was cut: {count} of 1000 points stored");
                whole += count == 1000 ? 1 : 0;
            }
        }

        Assert.True(whole >= 20, $"only {whole} batches stored although 20 were acknowledged");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForHealthAsync(HttpClient http, System.Diagnostics.Process server)
    {
        for (var i = 0; i < 300; i++)
        {
            Assert.False(server.HasExited, "ferry server exited before it answered /health");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail("ferry server did not answer /health within 30 s");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
