using System.Diagnostics;
using Ferry.Data.Schema;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Training;
using Ferry.Tracking;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Learn.Tests.Search;

// Searches share one collection: side by side on a 2-core machine, each would starve the others' time budgets.
[Collection("search")]
public sealed class AutoSearchTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-search-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private static string Sample(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Ferry.sln")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException("repository root not found");
        }

        return Path.Combine(folder.FullName, "samples", name);
    }

    private string Package(string name = "pkg") => Path.Combine(_folder.FullName, name);

    [Fact]
    public async Task A_tracked_search_records_child_runs_and_packages_a_model_that_scores_well_on_the_test_rows()
    {
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_folder.FullName, "ferry.db"), new TrackingStoreOptions { ArtifactRoot = Path.Combine(_folder.FullName, "artifacts") }, TimeProvider.System, CancellationToken.None);
        await using var tracker = new Tracker(store, TimeProvider.System);
        var search = new AutoSearch(MlNetZoo.All, TimeProvider.System);
        var changes = 0;
        search.LeaderboardChanged += _ => Interlocked.Increment(ref changes);

        var outcome = await search.RunAsync(new SearchSettings { DataPath = Sample("iris.csv"), Budget = TimeSpan.FromSeconds(10), Seed = 3 }, Package(), tracker, CancellationToken.None);

        Assert.True(outcome.TestMetrics["accuracy"] >= 0.9, $"test accuracy {outcome.TestMetrics["accuracy"]}");
        Assert.Equal(changes, outcome.Leaderboard.Count);
        var searchRun = await store.GetRunAsync(outcome.RunId!, CancellationToken.None);
        Assert.Equal(RunStatus.Finished, searchRun.Info.Status);
        Assert.Equal(outcome.Best.Learner, searchRun.Data.Params.Single(p => p.Key == "best.learner").Value);
        Assert.Contains(searchRun.Data.Tags, t => t.Key == "ferry.default.metric");
        Assert.Contains(searchRun.Data.Tags, t => t.Key == "ferry.default.split" && t.Value.StartsWith("stratified, test 20%", StringComparison.Ordinal));
        Assert.Equal("stratified", searchRun.Data.Params.Single(p => p.Key == "split").Value);
        var children = await store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [searchRun.Info.ExperimentId], Filter = $"tags.mlflow.parentRunId = '{outcome.RunId}'", MaxResults = 1000 }, CancellationToken.None);
        // Every trial but those the deadline cut off is a child run.
        Assert.Equal(outcome.Leaderboard.Count(t => t.Status != TrialStatus.Cancelled), children.Items.Count);
        var bestChild = children.Items.Single(r => r.Info.RunId == outcome.Best.RunId);
        Assert.Equal(outcome.Best.Score, bestChild.Data.Metrics.Single(m => m.Key == "score").Value, 9);

        using var package = await ModelPackage.OpenAsync(outcome.PackagePath, CancellationToken.None);
        Assert.Equal(outcome.Best.Learner, package.Manifest.Learner);
        Assert.Equal(outcome.RunId, package.Manifest.Training.RunId);
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "artifacts", searchRun.Info.ExperimentId, outcome.RunId!, "artifacts", "pkg", ModelPackage.ManifestFile)));
    }

    [Fact]
    public async Task A_learner_with_no_starting_configuration_for_the_data_is_left_out_and_said_so_unless_it_is_the_only_one()
    {
        // Diabetes with its target moved below zero: L-BFGS fits Poisson regression, which cannot take negative targets.
        var lines = await File.ReadAllLinesAsync(Sample("diabetes.csv"));
        var shifted = Path.Combine(_folder.FullName, "shifted.csv");
        await File.WriteAllLinesAsync(shifted, [lines[0], .. lines.Skip(1).Select(l => l[..(l.LastIndexOf(',') + 1)] + (double.Parse(l[(l.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture) - 200).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var settings = new SearchSettings { DataPath = shifted, Label = "target", Budget = TimeSpan.FromSeconds(6), Seed = 5, Include = ["lbfgs", "sdca"], Ensemble = false };

        var outcome = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Package(), null, CancellationToken.None);

        Assert.DoesNotContain(outcome.Leaderboard, t => t.Learner == "lbfgs");
        Assert.Contains(outcome.Leaderboard, t => t.Learner == "sdca" && t.Status == TrialStatus.Completed);
        var skipped = Assert.Single(outcome.Defaults, d => d.Setting == "learners.skipped");
        Assert.Equal("lbfgs", skipped.Value);

        var alone = await Assert.ThrowsAsync<FerryException>(() => new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(
            settings with { Include = ["lbfgs"] }, Package("alone"), null, CancellationToken.None));
        Assert.Contains("non-negative targets", alone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_with_deterministic_gives_the_same_leaderboard()
    {
        var settings = new SearchSettings { DataPath = Sample("wine.csv"), Budget = TimeSpan.FromSeconds(120), Seed = 11, Deterministic = true, MaxTrials = 10 };

        var first = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Package("a"), null, CancellationToken.None);
        var second = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Package("b"), null, CancellationToken.None);

        Assert.Equal(10, first.Leaderboard.Count(t => t.Learner != "ensemble"));
        Assert.Equal(
            first.Leaderboard.Select(t => (t.Number, t.Learner, t.Hyperparameters.ToString(), t.Score)),
            second.Leaderboard.Select(t => (t.Number, t.Learner, t.Hyperparameters.ToString(), t.Score)));
    }

    [Fact]
    public async Task The_budget_holds_within_ten_percent_and_ctrl_c_keeps_finished_trials()
    {
        var clock = Stopwatch.StartNew();
        var stages = new List<string>();
        var timedSearch = new AutoSearch(MlNetZoo.All, TimeProvider.System);
        timedSearch.StageChanged += stage => stages.Add($"{clock.Elapsed.TotalSeconds:F1}s {stage}");
        var timed = await timedSearch.RunAsync(
            new SearchSettings { DataPath = Sample("breast_cancer.csv"), Budget = TimeSpan.FromSeconds(20) }, Package("timed"), null, CancellationToken.None);
        var elapsed = clock.Elapsed;
        Assert.True(elapsed <= TimeSpan.FromSeconds(22), $"a 20 s search took {elapsed.TotalSeconds:F1} s: {string.Join("; ", stages)}");
        Assert.Contains(timed.Leaderboard, t => t.Status == TrialStatus.Completed);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var stopped = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(
            new SearchSettings { DataPath = Sample("breast_cancer.csv"), Budget = TimeSpan.FromSeconds(60) }, Package("stopped"), null, stop.Token);
        Assert.True(stopped.StoppedEarly);
        Assert.Contains(stopped.Leaderboard, t => t.Status == TrialStatus.Completed);
        Assert.True(Directory.Exists(stopped.PackagePath));
    }

    /// <summary>A learner whose runtime is missing on this machine (as TorchSharp's natives can be): every fit fails.</summary>
    private sealed class UnavailableLearner : ILearner
    {
        public string Name => "unavailable";

        public string Flavor => "none";

        public bool NeedsScaling => true;

        public IReadOnlyList<ParameterRange> Space { get; } = [new("width", ParameterScale.LogWhole, 8, 512)];

        public bool Supports(TaskKind task) => true;

        public IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits) =>
            [Hyperparameters.Empty.With("width", 16), Hyperparameters.Empty.With("width", 64), Hyperparameters.Empty.With("width", 256)];

        public Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken) =>
            throw FerryException.Invalid("RUNTIME_UNAVAILABLE", "the native runtime could not be loaded");

        public Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_learner_whose_first_trials_all_fail_is_left_out_and_the_others_search_on()
    {
        var settings = new SearchSettings { DataPath = Sample("iris.csv"), Budget = TimeSpan.FromSeconds(120), Seed = 5, Deterministic = true, MaxTrials = 20 };

        var outcome = await new AutoSearch([.. MlNetZoo.All, new UnavailableLearner()], TimeProvider.System).RunAsync(settings, Package(), null, CancellationToken.None);

        var failed = outcome.Leaderboard.Where(t => t.Learner == "unavailable").ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, t => Assert.Equal(TrialStatus.Failed, t.Status));
        Assert.All(failed, t => Assert.Contains("native runtime", t.Error, StringComparison.Ordinal));
        Assert.Equal(20, outcome.Leaderboard.Count(t => t.Learner != EnsemblePredictor.LearnerName));
        Assert.NotEqual("unavailable", outcome.Best.Learner);
    }

    [Theory]
    [InlineData("one_class", "LABEL_SINGLE_CLASS")]
    [InlineData("text_regression", "LABEL_NOT_NUMERIC")]
    [InlineData("missing_label", "nope")]
    public async Task Data_that_cannot_be_learned_is_refused_saying_what_to_do(string kind, string expected)
    {
        var path = Path.Combine(_folder.FullName, kind + ".csv");
        var rows = Enumerable.Range(0, 60).Select(i => kind switch
        {
            "one_class" => $"{i},{i % 7},yes",
            "text_regression" => $"{i},{i % 7},{(i % 2 == 0 ? "high" : "low")}",
            _ => $"{i},{i % 7},{i % 2}",
        });
        await File.WriteAllLinesAsync(path, ["a,b,y", .. rows]);
        var settings = new SearchSettings
        {
            DataPath = path,
            Label = kind == "missing_label" ? "nope" : "y",
            Task = kind == "text_regression" ? Data.Schema.TaskKind.Regression : null,
            Budget = TimeSpan.FromSeconds(5),
        };

        var error = await Assert.ThrowsAsync<FerryException>(() => new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Package(), null, CancellationToken.None));

        Assert.Contains(expected, error.Code + " " + error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Package()));
    }
}
