using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ferry.Hosting;
using Ferry.Tracking;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ferry.Bench;

/// <summary>
/// Issue #3's targets: 100k metric points through log-batch over HTTP and through the C# client (under 2 s
/// each), and a metric-filtered, metric-ordered search over 10k runs (under 100 ms), with a raw SQLite bulk insert
/// of the same points measured in the same run as the baseline. Each timing is the best of three.
/// Timestamps advance with the step, as they do when a client logs as it trains (point i at 1000 + i ms).
/// </summary>
internal static class TrackingBenchmark
{
    private const int Points = 100_000;
    private const int BatchSize = 1000;
    private const int SearchRuns = 10_000;

    public static async Task<int> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-bench-tracking");
        try
        {
            var raw = await BestOfThreeAsync(i => RawSqliteInsertAsync(Path.Combine(folder.FullName, $"raw{i}.db")));
            var http = await BestOfThreeAsync(i => HttpLogBatchAsync(Path.Combine(folder.FullName, $"http{i}")));
            var client = await BestOfThreeAsync(i => ClientAsync(Path.Combine(folder.FullName, $"client{i}.db")));
            var search = await SearchAsync(Path.Combine(folder.FullName, "search.db"));

            Console.WriteLine();
            Console.WriteLine($"Tracking: {Points:N0} metric points in batches of {BatchSize:N0}; best of 3");
            Print("raw SQLite bulk insert (baseline)", raw, raw, "");
            Print("log-batch over HTTP (ferry server)", http, raw, "target < 2 s");
            Print("C# client (in-process, background batches)", client, raw, "target < 2 s");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  search {SearchRuns:N0} runs, filter metrics.acc > 0.5, order by metrics.acc DESC, 1000 results: median {search.TotalMilliseconds:F1} ms (target < 100 ms)"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static void Print(string name, TimeSpan time, TimeSpan baseline, string target) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {time.TotalSeconds:F3} s, {Points / time.TotalSeconds:N0} points/s, {time / baseline:F2}x baseline {target}"));

    private static async Task<TimeSpan> BestOfThreeAsync(Func<int, Task<TimeSpan>> measure)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var time = await measure(i);
            best = time < best ? time : best;
        }

        return best;
    }

    private static async Task<TimeSpan> RawSqliteInsertAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE metrics (run_id TEXT, key TEXT, value REAL, timestamp INTEGER, step INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < Points / BatchSize; batch++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO metrics VALUES ('run', $k, $v, $t, $s)";
            var k = insert.Parameters.Add("$k", SqliteType.Text);
            var v = insert.Parameters.Add("$v", SqliteType.Real);
            var t = insert.Parameters.Add("$t", SqliteType.Integer);
            var s = insert.Parameters.Add("$s", SqliteType.Integer);
            for (var i = 0; i < BatchSize; i++)
            {
                k.Value = "loss";
                v.Value = 1.0 / (i + 1);
                t.Value = 1000L + (batch * BatchSize) + i;
                s.Value = (long)(batch * BatchSize) + i;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> HttpLogBatchAsync(string folder)
    {
        await using var app = TrackingServer.Build(new TrackingServerOptions
        {
            StoreUri = Path.Combine(folder, "ferry.db"),
            ArtifactStoreUri = Path.Combine(folder, "artifacts"),
            Port = 0,
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var created = await http.PostAsync("/api/2.0/mlflow/runs/create", new StringContent("""{"experiment_id":"0"}""", Encoding.UTF8, "application/json"));
        var runId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString();
        var bodies = Enumerable.Range(0, Points / BatchSize).Select(batch =>
            $$"""{"run_id":"{{runId}}","metrics":[{{string.Join(',', Enumerable.Range(0, BatchSize).Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"key":"loss","value":{{1.0 / (i + 1)}},"timestamp":{{1000 + (batch * BatchSize) + i}},"step":{{(batch * BatchSize) + i}}}""")))}}]}""").ToList();

        var clock = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            using var response = await http.PostAsync("/api/2.0/mlflow/runs/log-batch", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        var elapsed = clock.Elapsed;
        await app.StopAsync();
        return elapsed;
    }

    private static async Task<TimeSpan> ClientAsync(string path)
    {
        await using var store = await SqliteTrackingStore.OpenAsync(path, TimeProvider.System, CancellationToken.None);
        var tracker = new Tracker(store, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        await using (var run = await tracker.StartRunAsync("bench"))
        {
            for (var i = 0; i < Points; i++)
            {
                run.LogMetric("loss", 1.0 / (i + 1), step: i);
            }
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> SearchAsync(string path)
    {
        await using var store = await SqliteTrackingStore.OpenAsync(path, TimeProvider.System, CancellationToken.None);
        var random = new Random(7);
        for (var i = 0; i < SearchRuns; i++)
        {
            var run = await store.CreateRunAsync(new CreateRunRequest("0", "bench", $"run-{i}", 1000L + i), CancellationToken.None);
            await store.LogBatchAsync(run.Info.RunId, [new Metric("acc", random.NextDouble(), 1000, 0)], [new Param("learner", i % 2 == 0 ? "tree" : "linear")], [], CancellationToken.None);
        }

        var request = new RunSearchRequest { ExperimentIds = ["0"], Filter = "metrics.acc > 0.5", OrderBy = ["metrics.acc DESC"], MaxResults = 1000 };
        var times = new List<TimeSpan>();
        for (var i = 0; i < 11; i++)
        {
            var clock = Stopwatch.StartNew();
            var page = await store.SearchRunsAsync(request, CancellationToken.None);
            times.Add(clock.Elapsed);
            if (page.Items.Count != 1000)
            {
                throw new InvalidOperationException($"search returned {page.Items.Count} runs, expected 1000");
            }
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
