using System.Globalization;
using Ferry.Learn.Config;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Search;
using Ferry.Tracking;
using Ferry.Tracking.Client;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Learn.Tests.Search;

[Collection("search")]
public sealed class SpaceSearchTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-space-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Every_trial_uses_the_pinned_values_and_stays_inside_the_ranges_and_the_run_records_them()
    {
        var space = TrainingConfigReader.Parse("""
            space:
              lightgbm:
                learning_rate: 0.07
                num_leaves: [5, 9]
              sdca:
                l2: [0.001, 0.01, 0.1]
                max_iterations: 40
            """, "ferry.yaml").Space;
        await using var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_folder.FullName, "ferry.db"),
            new TrackingStoreOptions { ArtifactRoot = Path.Combine(_folder.FullName, "artifacts") }, TimeProvider.System, CancellationToken.None);
        await using var tracker = new Tracker(store, TimeProvider.System);
        var settings = new SearchSettings
        {
            DataPath = Path.Combine(LearnSamples.Folder, "iris.csv"),
            Include = ["lightgbm", "sdca"],
            Space = space,
            Budget = TimeSpan.FromSeconds(120),
            Deterministic = true,
            MaxTrials = 14,
            Ensemble = false,
        };

        var outcome = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Path.Combine(_folder.FullName, "pkg"), tracker, CancellationToken.None);

        var lightgbm = outcome.Leaderboard.Where(t => t.Learner == "lightgbm").ToList();
        var sdca = outcome.Leaderboard.Where(t => t.Learner == "sdca").ToList();
        Assert.True(lightgbm.Count >= 4 && sdca.Count >= 3, $"{lightgbm.Count} lightgbm and {sdca.Count} sdca trials");
        Assert.All(lightgbm, t => Assert.Equal("0.07", t.Hyperparameters.Values["learning_rate"]));
        Assert.All(lightgbm, t => Assert.InRange(int.Parse(t.Hyperparameters.Values["num_leaves"], CultureInfo.InvariantCulture), 5, 9));
        Assert.All(sdca, t => Assert.Contains(t.Hyperparameters.Values["l2"], new[] { "0.001", "0.01", "0.1" }));
        Assert.All(sdca, t => Assert.Equal("40", t.Hyperparameters.Values["max_iterations"]));
        // Sampled trials, not only the portfolio, respect them: the portfolio has 4 lightgbm entries for small data.
        Assert.True(lightgbm.Count > 4 || sdca.Count > 3);

        var run = await store.GetRunAsync(outcome.RunId!, CancellationToken.None);
        var parameters = run.Data.Params.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("0.07", parameters["space.lightgbm.learning_rate"]);
        Assert.Equal("[5, 9]", parameters["space.lightgbm.num_leaves"]);
        Assert.Equal("[0.001, 0.01, 0.1]", parameters["space.sdca.l2"]);
        Assert.Equal("false", parameters["ensemble"]);
    }

    [Fact]
    public async Task A_bad_space_entry_fails_before_the_data_is_read()
    {
        var space = TrainingConfigReader.Parse("space:\n  fastforest:\n    trees: 0\n", "ferry.yaml").Space;
        var settings = new SearchSettings { DataPath = Path.Combine(_folder.FullName, "does-not-exist.csv"), Space = space };

        var error = await Assert.ThrowsAsync<FerryException>(() => new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(settings, Path.Combine(_folder.FullName, "pkg"), null, CancellationToken.None));

        Assert.Equal(("CONFIG_INVALID", 3L), (error.Code, error.Location!.Line));
        Assert.Contains("space.fastforest.trees", error.Message, StringComparison.Ordinal);
    }
}
