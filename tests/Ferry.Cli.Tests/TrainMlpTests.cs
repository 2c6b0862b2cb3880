using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Data.Analysis;
using Ferry.Data.Splits;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;
using Ferry.Tracking;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Cli.Tests;

/// <summary>
/// Runs alone, after the tests that run side by side: these searches time themselves and keep the cores busy, so
/// they would both be slowed by and slow down the other budget tests.
/// </summary>
[CollectionDefinition(nameof(TrainMlpTests), DisableParallelization = true)]
public sealed class TrainMlpRunsAlone;

/// <summary>The TorchSharp MLP as a member of <c>ferry train</c>'s zoo: searched, tagged, packaged and loaded back.</summary>
[Collection(nameof(TrainMlpTests))]
public sealed class TrainMlpTests : IDisposable
{
    private static readonly string[] MlNetLearners = ["lightgbm", "fasttree", "fastforest", "sdca", "lbfgs"];
    private static readonly string[] Plans = ["basic", "plus", "pro"];

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-cli-mlp-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Delete(recursive: true);
    }

    /// <summary>
    /// A small (under 1,000 rows), imbalanced binary table: about one row in ten churns, mostly when usage is low,
    /// with a categorical column the featurizer one-hot encodes.
    /// </summary>
    private string ImbalancedCsv()
    {
        var random = new Random(17);
        var path = Path.Combine(_home.FullName, "churn.csv");
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            var usage = random.NextDouble() * 10;
            var tenure = random.Next(1, 60);
            var plan = Plans[random.Next(3)];
            var risk = 0.3 - usage - (tenure / 40.0) + (plan == "basic" ? 0.8 : 0) + (random.NextDouble() * 2.5);
            return string.Create(CultureInfo.InvariantCulture, $"{usage:F3},{tenure},{plan},{(risk > 0 ? "yes" : "no")}");
        });
        File.WriteAllLines(path, ["usage,tenure,plan,churned", .. rows]);
        return path;
    }

    [Fact]
    public async Task Train_include_mlp_tags_its_defaults_and_packages_a_model_the_cli_loads_that_scores_the_test_rows_as_the_search_did()
    {
        var data = ImbalancedCsv();
        var package = Path.Combine(_home.FullName, "churn-model");

        var train = await CliRunner.RunAsync(_home.FullName, "train", data, "--label", "churned", "--include", "mlp", "--no-ensemble", "--time", "40", "--seed", "5", "-o", package);

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        Assert.True(train.Output.Contains("Best: mlp", StringComparison.Ordinal) && train.Output.Contains("default mlp.loss = focal", StringComparison.Ordinal), train.ToString());
        var runId = Regex.Match(train.Output, "Search run: ([0-9a-f]{32})").Groups[1].Value;
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home.FullName, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var run = await store.GetRunAsync(runId, CancellationToken.None);
        var tags = run.Data.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.StartsWith("focal: ", tags["ferry.default.mlp.loss"], StringComparison.Ordinal);
        Assert.Contains("small data", tags["ferry.default.mlp.regularisation"], StringComparison.Ordinal);
        Assert.StartsWith("patience ", tags["ferry.default.mlp.early_stopping"], StringComparison.Ordinal);
        Assert.StartsWith("balanced: ", tags["ferry.default.class_weights"], StringComparison.Ordinal);
        // The portfolio trials (run first) trained with what the tag says; later draws may try cross-entropy.
        var trials = await store.SearchRunsAsync(
            new RunSearchRequest { ExperimentIds = [run.Info.ExperimentId], Filter = $"tags.mlflow.parentRunId = '{runId}'", MaxResults = 1000 }, CancellationToken.None);
        var first = trials.Items.Single(r => r.Info.RunName == "trial-1-mlp");
        Assert.Equal("focal", first.Data.Params.Single(p => p.Key == "loss").Value);

        using var opened = await ModelPackage.OpenAsync(package, CancellationToken.None);
        Assert.Equal(("torch", "mlp"), (opened.Manifest.Flavor, opened.Manifest.Learner));
        Assert.Contains("TorchSharp", opened.Manifest.Training.Libraries.Keys);
        Assert.Contains("libtorch", opened.Manifest.Training.Libraries.Keys);

        // The search scored the untouched test rows with the model in memory, before writing it; the package, loaded
        // the way `ferry predict` and the server load it, must score them to the same value in every metric.
        using var loaded = await CliContext.Flavors().LoadPredictorAsync(package, CancellationToken.None);
        var tabular = Assert.IsType<TabularPredictor>(loaded);
        var analysis = await DatasetAnalyzer.AnalyzeAsync(data, new AnalyzeOptions { Label = "churned" }, null, CancellationToken.None);
        var split = Splitter.TrainValidationTest(analysis.Table, "churned", 0, new SearchSettings { DataPath = data }.TestShare, seed: 5);
        var testRows = analysis.Table.SelectRows(split.Test);
        var predictions = await loaded.PredictAsync(testRows, CancellationToken.None);
        var labels = TrainingSets.EncodeLabels(testRows["churned"], analysis.Schema);
        var rescored = MetricEvaluator.ScoreAll(analysis.Schema.Task, labels, predictions.Probabilities!, tabular.Threshold);
        var logged = run.Data.Metrics.Where(m => m.Key.StartsWith("test_", StringComparison.Ordinal)).ToDictionary(m => m.Key["test_".Length..], m => m.Value);
        Assert.NotEmpty(logged);
        Assert.All(logged, metric => Assert.Equal(metric.Value, rescored.Single(r => MetricCatalog.NameOf(r.Key) == metric.Key).Value, 12));
    }

    [Fact]
    public async Task Deterministic_searches_over_the_whole_zoo_give_the_same_leaderboard_mlp_scores_included()
    {
        Assert.Contains(CliContext.Zoo(), l => l.Name == "mlp");
        var settings = new SearchSettings { DataPath = CliRunner.Sample("wine.csv"), Budget = TimeSpan.FromSeconds(300), Seed = 11, Deterministic = true, MaxTrials = 14 };

        var first = await new AutoSearch(CliContext.Zoo(), TimeProvider.System).RunAsync(settings, Path.Combine(_home.FullName, "a"), null, CancellationToken.None);
        var second = await new AutoSearch(CliContext.Zoo(), TimeProvider.System).RunAsync(settings, Path.Combine(_home.FullName, "b"), null, CancellationToken.None);

        Assert.Equal(14, first.Leaderboard.Count(t => t.Learner != "ensemble"));
        Assert.Contains(first.Leaderboard, t => t.Learner == "mlp" && t.FoldScores.Count > 0);
        Assert.Equal(
            first.Leaderboard.Select(t => (t.Number, t.Learner, t.Hyperparameters.ToString(), t.Status, t.Score, string.Join(" ", t.FoldScores))),
            second.Leaderboard.Select(t => (t.Number, t.Learner, t.Hyperparameters.ToString(), t.Status, t.Score, string.Join(" ", t.FoldScores))));
        Assert.Equal(first.TestMetrics, second.TestMetrics);
    }

    [Fact]
    public async Task With_the_mlp_in_the_zoo_train_keeps_its_budget_and_the_cheap_learners_still_get_their_trials()
    {
        var clock = Stopwatch.StartNew();
        var train = await CliRunner.RunAsync(_home.FullName, "train", CliRunner.Sample("breast_cancer.csv"), "--time", "30", "-o", Path.Combine(_home.FullName, "bc"));
        var elapsed = clock.Elapsed;

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        Assert.True(elapsed <= TimeSpan.FromSeconds(33), $"a 30 s search took {elapsed.TotalSeconds:F1} s");
        var runId = Regex.Match(train.Output, "Search run: ([0-9a-f]{32})").Groups[1].Value;
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home.FullName, "ferry.db"), TimeProvider.System, CancellationToken.None);
        var run = await store.GetRunAsync(runId, CancellationToken.None);
        var trials = await store.SearchRunsAsync(
            new RunSearchRequest { ExperimentIds = [run.Info.ExperimentId], Filter = $"tags.mlflow.parentRunId = '{runId}'", MaxResults = 1000 }, CancellationToken.None);
        var learners = trials.Items.Select(r => r.Data.Params.Single(p => p.Key == "learner").Value).ToList();
        Assert.Contains("mlp", learners);
        // Every ML.NET learner got its portfolio started, and together they ran more trials than the MLP.
        Assert.All(MlNetLearners, name => Assert.Contains(name, learners));
        Assert.True(learners.Count(l => l != "mlp") > 2 * learners.Count(l => l == "mlp"), string.Join(", ", learners));
    }
}
