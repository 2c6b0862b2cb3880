using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ferry.Cli;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Search;

namespace Ferry.Bench;

/// <summary>
/// Issue #4's benchmark: on every sample, Ferry's search (the CLI's zoo, a 60 s budget) against scikit-learn's
/// defaults (LogisticRegression or Ridge, RandomForest, HistGradientBoosting) on the same split, scored on the same
/// test rows with the same metric, in the same run. bench/automl/sklearn_defaults.py makes the split (as
/// samples/README.md does), writes train.csv and test.csv, and fits and scores scikit-learn; Ferry searches the
/// same train.csv and its package is scored on test.csv with Ferry's metric code. Target: Ferry at least the best
/// default on every dataset.
/// </summary>
internal static class AutomlBenchmark
{
    private const string Usage = "usage: Ferry.Bench automl [--time SECONDS] [--seed N] [--python PATH] [--keep FOLDER] [DATASET ...]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (Options.Parse(args) is not { } options)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var root = RepositoryRoot();
        var work = options.Keep is { } keep ? Directory.CreateDirectory(keep) : Directory.CreateTempSubdirectory("ferry-bench-automl-");
        try
        {
            var threads = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 } set ? set : "1";
            Console.WriteLine($"scikit-learn defaults ({options.Python}, OMP_NUM_THREADS={threads}) on samples/README.md's 80/20 split ...");
            var clock = Stopwatch.StartNew();
            var sklearn = await RunSklearnAsync(options, root, work.FullName);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  done in {clock.Elapsed.TotalSeconds:F0} s"));

            var rows = new List<Row>();
            foreach (var dataset in sklearn.Datasets)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ferry: {dataset.Dataset} ({dataset.TrainRows} train rows, {options.Seconds} s budget) ..."));
                var ferry = await RunFerryAsync(options, Path.Combine(work.FullName, dataset.Dataset), dataset);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {ferry.Learner}: test {dataset.Metric} {ferry.Score:F4} (validation {ferry.SearchMetric} {ferry.Validation:F4}, {ferry.Trials} trials completed, {ferry.Pruned} pruned, {ferry.Failed} failed, {ferry.Seconds:F1} s)"));
                rows.Add(new Row(dataset, ferry));
            }

            Print(rows, sklearn.Sklearn, options);
            return rows.All(r => r.Pass) ? 0 : 1;
        }
        finally
        {
            if (options.Keep is null)
            {
                work.Delete(recursive: true);
            }
        }
    }

    private static async Task<SklearnReport> RunSklearnAsync(Options options, string root, string work)
    {
        var start = new ProcessStartInfo(options.Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        // HistGradientBoosting's OpenMP threads stall each other on a machine shared with other work (minutes instead of
        // a second on digits, same scores); one thread per fit is also how Ferry fits. An explicit setting wins.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
        {
            start.Environment["OMP_NUM_THREADS"] = "1";
        }

        foreach (var arg in (string[])[Path.Combine(root, "bench", "automl", "sklearn_defaults.py"), Path.Combine(root, "samples"), work, .. options.Datasets])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.Python}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{options.Python} sklearn_defaults.py failed ({process.ExitCode}); it needs Debian's python3-sklearn:\n{await output}{await error}");
        }

        await using var json = File.OpenRead(Path.Combine(work, "sklearn.json"));
        return await JsonSerializer.DeserializeAsync<SklearnReport>(json, JsonOptions)
            ?? throw new InvalidOperationException("sklearn.json is empty");
    }

    private static async Task<FerryResult> RunFerryAsync(Options options, string folder, SklearnDataset dataset)
    {
        // The search keeps no test rows of its own (TestShare 0): test.csv is the test set, and Ferry fits exactly
        // the rows scikit-learn fits. It cross-validates or holds out within them as it would for any user.
        var settings = new SearchSettings
        {
            DataPath = Path.Combine(folder, "train.csv"),
            Label = dataset.Label,
            Budget = TimeSpan.FromSeconds(options.Seconds),
            Seed = options.Seed,
            TestShare = 0,
        };
        var clock = Stopwatch.StartNew();
        var outcome = await new AutoSearch(CliContext.Zoo(), TimeProvider.System).RunAsync(settings, Path.Combine(folder, "package"), null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;

        var test = (await CsvTableReader.LoadAsync(Path.Combine(folder, "test.csv"), new TableLoadOptions(), null, CancellationToken.None)).Table;
        using var predictor = await CliContext.Flavors().LoadPredictorAsync(outcome.PackagePath, CancellationToken.None);
        var scores = await HeldOutScores.ScoreAsync(predictor, test, CancellationToken.None);
        return new FerryResult(outcome.Best.Learner, scores[MetricCatalog.Parse(dataset.Metric)], MetricCatalog.NameOf(outcome.Metric), outcome.Best.Score,
            outcome.Leaderboard.Count(t => t.Status == TrialStatus.Completed), outcome.Leaderboard.Count(t => t.Status == TrialStatus.Pruned),
            outcome.Leaderboard.Count(t => t.Status == TrialStatus.Failed), seconds);
    }

    private static void Print(List<Row> rows, string sklearnVersion, Options options)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"AutoML: Ferry ({options.Seconds} s budget, seed {options.Seed}) vs scikit-learn {sklearnVersion} defaults, same train/test split, same metric"));
        var table = new List<string[]>
        {
            new[] { "dataset", "metric", "ferry", "ferry learner", "ferry s", "best sklearn default", "score", "sklearn s (linear/RF/HGB)", "ferry - best", "ratio", "target" },
        };
        foreach (var row in rows)
        {
            var best = row.Best;
            table.Add(
            [
                row.Dataset.Dataset, row.Dataset.Metric, F4(row.Ferry.Score), row.Ferry.Learner, row.Ferry.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                best.Name, F4(best.Score), string.Join("/", row.Dataset.Models.Select(m => m.Seconds.ToString("F2", CultureInfo.InvariantCulture))),
                (row.Ferry.Score - best.Score).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture),
                best.Score == 0 ? "-" : (row.Ferry.Score / best.Score).ToString("F3", CultureInfo.InvariantCulture),
                row.Pass ? "PASS" : "MISS",
            ]);
        }

        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var line in table)
        {
            Console.WriteLine("  " + string.Join("  ", line.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rows.Count(r => r.Pass)}/{rows.Count} datasets with Ferry >= the best scikit-learn default"));
    }

    private static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above the current folder or the benchmark's binaries");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Options(int Seconds, int Seed, string Python, string? Keep, IReadOnlyList<string> Datasets)
    {
        public static Options? Parse(IReadOnlyList<string> args)
        {
            var options = new Options(60, 42, "/usr/bin/python3", null, []);
            var datasets = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--time" when int.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                        options = options with { Seconds = seconds };
                        i++;
                        break;
                    case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var seed):
                        options = options with { Seed = seed };
                        i++;
                        break;
                    case "--python" when value is not null:
                        options = options with { Python = value };
                        i++;
                        break;
                    case "--keep" when value is not null:
                        options = options with { Keep = Path.GetFullPath(value) };
                        i++;
                        break;
                    case var name when !name.StartsWith('-'):
                        datasets.Add(name);
                        break;
                    default:
                        return null;
                }
            }

            return options with { Datasets = datasets };
        }
    }

    private sealed record SklearnReport(string Sklearn, IReadOnlyList<SklearnDataset> Datasets);

    private sealed record SklearnDataset(string Dataset, string Label, string Task, string Metric, int TrainRows, int TestRows, IReadOnlyList<SklearnModel> Models);

    private sealed record SklearnModel(string Name, double Score, double FitSeconds, double Seconds);

    private sealed record FerryResult(string Learner, double Score, string SearchMetric, double Validation, int Trials, int Pruned, int Failed, double Seconds);

    private sealed record Row(SklearnDataset Dataset, FerryResult Ferry)
    {
        public SklearnModel Best => Dataset.Models.MaxBy(m => m.Score)!;

        public bool Pass => Ferry.Score >= Best.Score - 1e-9;
    }
}
