using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Bench;

/// <summary>
/// Issue #5's benchmark: `ferry serve` in its own process, driven over loopback HTTP from this process with
/// single-row Open Inference requests against a breast-cancer model. It measures, in one run: the predictor called
/// in-process (the baseline), the server at low load (its overhead over the baseline), at high concurrency with
/// batching on and off (the throughput ratio), and at moderate load while versions are swapped every 2 s (failed
/// requests and p99 against the steady p99).
/// </summary>
internal static partial class ServingBenchmark
{
    private const string Usage = "usage: Ferry.Bench serving [--seconds PER_PHASE (default 10)] [--concurrency HIGH (default 32)]";
    private const int SwapConcurrency = 8;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var (seconds, high) = (10.0, 32);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--seconds" when double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s > 0:
                    seconds = s;
                    break;
                case "--concurrency" when int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var c) && c > 0:
                    high = c;
                    break;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        if (args.Count % 2 == 1)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var phase = TimeSpan.FromSeconds(seconds);
        var work = Directory.CreateTempSubdirectory("ferry-bench-serving-");
        try
        {
            Console.WriteLine("training two breast-cancer packages (LightGBM, SDCA) ...");
            var (row, lightgbm, sdca) = await PackagesAsync(work.FullName);
            var models = Path.Combine(work.FullName, "models");
            Copy(lightgbm, Path.Combine(models, "cancer", "1"));
            var body = System.Text.Encoding.UTF8.GetBytes(OpenInferenceBody(row));

            Console.WriteLine("in-process: the LightGBM predictor on one row ...");
            var inProcess = await InProcessAsync(lightgbm, row, phase);

            var records = System.Text.Encoding.UTF8.GetBytes(PredictBody(row));
            LoadResult floor, low, rawFloor, rawLow, lowRecords, batched, steady, swapping, unbatched;
            await using (var server = await ServerProcess.StartAsync(models, Path.Combine(work.FullName, "home"), batching: true))
            {
                using var client = Client(server.Url, high);
                await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, 4, TimeSpan.FromSeconds(2)); // warm-up
                Console.WriteLine("server: 1 client, GET /v2/health/live (the HTTP round trip alone) ...");
                floor = await ServingLoad.RunAsync(client, "/v2/health/live", null, 1, phase);
                Console.WriteLine("server, batching on: 1 client ...");
                low = await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, 1, phase);
                Console.WriteLine("server: 1 plain HTTP/1.1 client, health check, then Open Inference ...");
                rawFloor = await RawHttpLoad.RunAsync(server.Url, "/v2/health/live", null, phase);
                rawLow = await RawHttpLoad.RunAsync(server.Url, "/v2/models/cancer/infer", body, phase);
                Console.WriteLine("server, batching on: 1 client, TF Serving :predict ...");
                lowRecords = await ServingLoad.RunAsync(client, "/v1/models/cancer:predict", records, 1, phase);
                Console.WriteLine($"server, batching on: {high} clients ...");
                batched = await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, high, phase);
                Console.WriteLine($"server: {SwapConcurrency} clients, steady ...");
                steady = await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, SwapConcurrency, phase);
                Console.WriteLine($"server: {SwapConcurrency} clients, a new version every 2 s ...");
                swapping = await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, SwapConcurrency, phase, () => SwapAsync(models, lightgbm, sdca, phase));
            }

            await using (var server = await ServerProcess.StartAsync(models, Path.Combine(work.FullName, "home"), batching: false))
            {
                using var client = Client(server.Url, high);
                await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, 4, TimeSpan.FromSeconds(2));
                Console.WriteLine($"server, batching off: {high} clients ...");
                unbatched = await ServingLoad.RunAsync(client, "/v2/models/cancer/infer", body, high, phase);
            }

            return Report(inProcess, new(floor, low, rawFloor, rawLow), lowRecords, batched, unbatched, steady, swapping, high);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The low-load phases: a health check and an inference, each from HttpClient and from the plain HTTP/1.1 client.</summary>
    private sealed record LowLoad(LoadResult Floor, LoadResult Low, LoadResult RawFloor, LoadResult RawLow);

    private static int Report(LoadResult inProcess, LowLoad lowLoad, LoadResult lowRecords, LoadResult batched, LoadResult unbatched, LoadResult steady, LoadResult swapping, int high)
    {
        static string Row(string name, LoadResult r) => string.Create(CultureInfo.InvariantCulture,
            $"  {name,-34} {r.PerSecond,10:F0} {r.Percentile(0.5) * 1000,10:F0} {r.Percentile(0.99) * 1000,10:F0} {r.Failed,8}");
        Console.WriteLine();
        Console.WriteLine("Serving: one breast-cancer row per request (Open Inference, loopback HTTP), same run");
        Console.WriteLine($"  {"phase",-34} {"req/s",10} {"p50 µs",10} {"p99 µs",10} {"failed",8}");
        Console.WriteLine(Row("in-process predictor, 1 caller", inProcess));
        var (floor, low, rawFloor, rawLow) = lowLoad;
        Console.WriteLine(Row("server, 1 client, health check only", floor));
        Console.WriteLine(Row("server, 1 client", low));
        Console.WriteLine(Row("server, 1 plain client, health check", rawFloor));
        Console.WriteLine(Row("server, 1 plain client", rawLow));
        Console.WriteLine(Row("server, 1 client, TF :predict", lowRecords));
        Console.WriteLine(Row($"server, {high} clients, batching on", batched));
        Console.WriteLine(Row($"server, {high} clients, batching off", unbatched));
        Console.WriteLine(Row($"server, {SwapConcurrency} clients, steady", steady));
        Console.WriteLine(Row($"server, {SwapConcurrency} clients, swap every 2 s", swapping));
        foreach (var error in swapping.Errors.Concat(low.Errors).Take(5))
        {
            Console.WriteLine("  failure: " + error);
        }

        // The server's overhead is measured with the plain client: HttpClient's own cost is the caller's.
        var overhead = (rawLow.Percentile(0.5) - inProcess.Percentile(0.5)) * 1000;
        var ownOverhead = (rawLow.Percentile(0.5) - inProcess.Percentile(0.5) - rawFloor.Percentile(0.5)) * 1000;
        var clientOverhead = (low.Percentile(0.5) - rawLow.Percentile(0.5)) * 1000;
        var swapRatio = swapping.Percentile(0.99) / steady.Percentile(0.99);
        var batchRatio = batched.PerSecond / unbatched.PerSecond;
        var checks = new (string Name, string Value, bool Pass)[]
        {
            ("failed requests during swaps = 0", swapping.Failed.ToString(CultureInfo.InvariantCulture), swapping.Failed == 0),
            ("p99 during swaps <= 2x steady p99", string.Create(CultureInfo.InvariantCulture, $"{swapRatio:F2}x"), swapRatio <= 2),
            ("server overhead at low load <= 100 µs (p50, plain client)", string.Create(CultureInfo.InvariantCulture, $"{overhead:F0} µs"), overhead <= 100),
            ($"batching raises throughput at {high} clients", string.Create(CultureInfo.InvariantCulture, $"{batchRatio:F2}x"), batchRatio > 1),
        };
        Console.WriteLine();
        foreach (var (name, value, pass) in checks)
        {
            Console.WriteLine($"  {name,-56} {value,10}  {(pass ? "PASS" : "MISS")}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (the overhead beyond a health check's HTTP round trip, {rawFloor.Percentile(0.5) * 1000:F0} µs, is {ownOverhead:F0} µs: decoding, routing, metrics and the prediction log;"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   HttpClient adds {clientOverhead:F0} µs more per request on the caller's side)"));
        return checks.All(c => c.Pass) ? 0 : 1;
    }

    private static HttpClient Client(Uri url, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = url };

    /// <summary>Adds a new version every 2 s (alternating the two packages) and drops the one two back, as a release train would.</summary>
    private static async Task SwapAsync(string models, string lightgbm, string sdca, TimeSpan phase)
    {
        var clock = Stopwatch.StartNew();
        for (var version = 2; clock.Elapsed + TimeSpan.FromSeconds(2) < phase; version++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Copy(version % 2 == 0 ? sdca : lightgbm, Path.Combine(models, "cancer", version.ToString(CultureInfo.InvariantCulture)));
            var old = Path.Combine(models, "cancer", (version - 2).ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }

    private static async Task<LoadResult> InProcessAsync(string package, Table row, TimeSpan phase)
    {
        using var predictor = await ModelFlavors.Builtin.LoadPredictorAsync(package, CancellationToken.None);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < phase)
        {
            var started = Stopwatch.GetTimestamp();
            await predictor.PredictAsync(row, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new LoadResult(latencies.Count, 0, clock.Elapsed.TotalSeconds, [.. latencies.Order()], []);
    }

    private static async Task<(Table Row, string LightGbm, string Sdca)> PackagesAsync(string work)
    {
        var sample = Path.Combine(AutomlBenchmark.RepositoryRoot(), "samples", "breast_cancer.csv");
        var table = (await CsvTableReader.LoadAsync(sample, new TableLoadOptions(), null, CancellationToken.None)).Table;
        var schema = SchemaInference.Infer(table, label: null);
        var split = Splitter.TrainValidationTest(table, schema.Label, 0, 0.2, 1);
        var train = table.SelectRows(split.Train);
        var row = new Table(table.SelectRows(split.Test.AsSpan(0, 1)).Columns.Where(c => c.Name != schema.Label));
        var paths = new List<string>();
        foreach (var name in new[] { "lightgbm", "sdca" })
        {
            var learner = MlNetZoo.Find(name)!;
            var featurizer = Featurizer.Fit(train, schema, new FeaturizerOptions { Scale = learner.NeedsScaling });
            var set = TrainingSets.Create(train, schema, featurizer);
            var model = await learner.FitAsync(set, learner.Portfolio(set.Traits())[0], 1, CancellationToken.None);
            using var predictor = TabularPredictor.Create(learner, featurizer, model, schema);
            var path = Path.Combine(work, "packages", name);
            await TabularPackage.WriteAsync(path, predictor, new TrainingInfo(DateTimeOffset.UtcNow, "bench", null, null, 1, learner.LibraryVersions()), null, CancellationToken.None);
            paths.Add(path);
        }

        return (row, paths[0], paths[1]);
    }

    private static string PredictBody(Table row)
    {
        var fields = row.Columns.Select(c => c is NumericColumn n
            ? $"\"{c.Name}\":{n[0].ToString("R", CultureInfo.InvariantCulture)}"
            : $"\"{c.Name}\":\"{c.GetText(0)}\"");
        return $"{{\"instances\":[{{{string.Join(",", fields)}}}]}}";
    }

    private static string OpenInferenceBody(Table row)
    {
        var inputs = row.Columns.Select(c => c is NumericColumn n
            ? $"{{\"name\":\"{c.Name}\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[{n[0].ToString("R", CultureInfo.InvariantCulture)}]}}"
            : $"{{\"name\":\"{c.Name}\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"{c.GetText(0)}\"]}}");
        return $"{{\"inputs\":[{string.Join(",", inputs)}]}}";
    }

    private static void Copy(string from, string to)
    {
        var staging = to + ".tmp";
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(staging, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // Renamed into place whole, so the server's poll never sees half a package.
        Directory.Move(staging, to);
    }

    /// <summary>`ferry serve` as a child process on a free port.</summary>
    private sealed partial class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<ServerProcess> StartAsync(string models, string home, bool batching)
        {
            var ferry = Path.Combine(AutomlBenchmark.RepositoryRoot(), "src", "Ferry.Cli", "bin", "Release", "net10.0", "ferry.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { ferry, "serve", "--models", models, "--home", home, "--port", "0", "--poll", "0.2" }.Concat(batching ? [] : ["--no-batching"]))
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ferry serve");
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (UrlPattern().Match(line) is { Success: true } match)
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    var server = new ServerProcess(process, new Uri(match.Value));
                    await server.WaitReadyAsync(timeout.Token);
                    return server;
                }
            }

            throw new InvalidOperationException($"ferry serve exited with {process.ExitCode} before listening");
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private async Task WaitReadyAsync(CancellationToken cancellationToken)
        {
            using var client = new HttpClient { BaseAddress = Url };
            while (!(await client.GetAsync("/v2/health/ready", cancellationToken)).IsSuccessStatusCode)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        [GeneratedRegex(@"http://[0-9.]+:[0-9]+")]
        private static partial Regex UrlPattern();
    }
}
