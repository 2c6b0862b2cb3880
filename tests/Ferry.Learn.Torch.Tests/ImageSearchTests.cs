using System.Diagnostics;
using Ferry.Data.Images;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Torch.Images;
using Ferry.Tracking;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;
using Ferry.Tracking.Storage.Sqlite;
using Xunit.Abstractions;

namespace Ferry.Learn.Torch.Tests;

/// <summary>Image folders for the search tests, written from the digits sample as real PNG files.</summary>
internal static class ImageFolders
{
    /// <summary>Writes <paramref name="perClass"/> digits of each of <paramref name="digits"/> as 8x8 gray PNGs into root/&lt;digit&gt;/.</summary>
    public static async Task<string> DigitsAsync(string root, string[] digits, int perClass)
    {
        var all = await TorchTestData.DigitsAsync();
        var chosen = digits.SelectMany(d => all.Items.Where(i => i.Label == d).Take(perClass));
        await ImageFolderWriter.WriteAsync(new ImageDataset(chosen), root, CancellationToken.None);
        return root;
    }

    /// <summary>The test images a search with <paramref name="seed"/> and a 20% test share holds out (the search's own split, recomputed).</summary>
    public static IReadOnlyList<ImageItem> TestImages(ImageDataset images, int seed)
    {
        var labels = new Table([StringColumn.FromValues("label", images.Items.Select(i => i.Label))]);
        return [.. Splitter.TrainValidationTest(labels, "label", 0, 0.2, (ulong)seed).Test.Select(i => images.Items[i])];
    }
}

public sealed class ImageSearchTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-image-search-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private string Path(string name) => System.IO.Path.Combine(_folder.FullName, name);

    private static ImageSearch Search() => new(ImageSearch.DefaultZoo(), TimeProvider.System);

    private void Show(SearchOutcome outcome, TimeSpan elapsed)
    {
        output.WriteLine($"{elapsed.TotalSeconds:F1} s, test {string.Join(", ", outcome.TestMetrics.Select(p => $"{p.Key} {p.Value:F4}"))}");
        foreach (var trial in outcome.Leaderboard)
        {
            output.WriteLine($"  trial {trial.Number} {trial.Status} {trial.Score:F4} fit {trial.FitSeconds:F1} s {trial.Hyperparameters}");
        }

        foreach (var choice in outcome.Defaults)
        {
            output.WriteLine($"  default {choice.Setting} = {choice.Value}: {choice.Reason}");
        }
    }

    [Fact]
    public async Task Digits_as_a_pixel_table_reach_0_95_test_accuracy_within_a_60_s_budget_and_the_package_scores_the_rows_the_same()
    {
        var clock = Stopwatch.StartNew();
        var outcome = await Search().RunAsync(
            new SearchSettings { DataPath = TorchTestPaths.Sample("digits.csv"), Budget = TimeSpan.FromSeconds(60), Seed = 42 }, Path("digits"), null, CancellationToken.None);
        var elapsed = clock.Elapsed;
        Show(outcome, elapsed);

        Assert.True(elapsed <= TimeSpan.FromSeconds(66), $"a 60 s search took {elapsed.TotalSeconds:F1} s");
        Assert.True(outcome.TestMetrics["accuracy"] >= 0.95, $"test accuracy {outcome.TestMetrics["accuracy"]:F4}");
        Assert.Contains(outcome.Defaults, d => d.Setting == "augmentation" && d.Value == "shift 1 px");

        // The package reads table rows: scoring the held-out rows from the file gives the search's own test accuracy.
        using var package = await ModelPackage.OpenAsync(outcome.PackagePath, CancellationToken.None);
        using var predictor = await new TorchFlavor().LoadAsync(package, CancellationToken.None);
        var table = await TorchTestData.LoadAsync("digits.csv");
        var digits = DigitsImages.FromTable(table);
        var testRows = ImageFolders.TestImages(digits, 42).Select(i => int.Parse(i.Id["row-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1).ToArray();
        var predictions = await predictor.PredictAsync(table.SelectRows(testRows), CancellationToken.None);
        var accuracy = testRows.Select((row, i) => predictions.Labels![i] == table["label"].GetText(row) ? 1.0 : 0.0).Average();
        Assert.Equal(outcome.TestMetrics["accuracy"], accuracy, 12);
        Assert.True(package.Manifest.Files.ContainsKey(ReferenceProfile.FileName));
    }

    [Fact]
    public async Task A_tracked_folder_search_keeps_the_budget_records_each_trial_as_a_child_run_and_packages_a_model_that_predicts_the_folder()
    {
        var root = await ImageFolders.DigitsAsync(Path("images"), ["0", "1", "7"], perClass: 40);
        File.WriteAllBytes(System.IO.Path.Combine(root, "7", "broken.png"), [1, 2, 3]);
        await using var store = await SqliteTrackingStore.OpenAsync(Path("ferry.db"), new TrackingStoreOptions { ArtifactRoot = Path("artifacts") }, TimeProvider.System, CancellationToken.None);
        await using var tracker = new Tracker(store, TimeProvider.System);
        var search = Search();
        var changes = 0;
        search.LeaderboardChanged += _ => Interlocked.Increment(ref changes);

        var clock = Stopwatch.StartNew();
        var outcome = await search.RunAsync(new SearchSettings { DataPath = root, Budget = TimeSpan.FromSeconds(20), Seed = 5 }, Path("pkg"), tracker, CancellationToken.None);
        var elapsed = clock.Elapsed;
        Show(outcome, elapsed);

        Assert.True(elapsed <= TimeSpan.FromSeconds(22), $"a 20 s search took {elapsed.TotalSeconds:F1} s");
        Assert.Equal(changes, outcome.Leaderboard.Count);
        Assert.Contains(outcome.Defaults, d => d.Setting == "validation" && d.Value == "5-fold cross-validation");
        Assert.Contains(outcome.Defaults, d => d.Setting == "skipped_images" && d.Reason.Contains("7/broken.png", StringComparison.Ordinal));
        var searchRun = await store.GetRunAsync(outcome.RunId!, CancellationToken.None);
        Assert.Equal(RunStatus.Finished, searchRun.Info.Status);
        Assert.Equal("search-images", searchRun.Info.RunName);
        Assert.Contains(searchRun.Data.Tags, t => t.Key == "ferry.default.augmentation");
        Assert.Contains(searchRun.Data.Tags, t => t.Key == "ferry.default.metric");
        Assert.Contains(searchRun.Data.Tags, t => t.Key == "ferry.default.refit");
        Assert.Equal("cnn", searchRun.Data.Params.Single(p => p.Key == "best.learner").Value);
        var children = await store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [searchRun.Info.ExperimentId], Filter = $"tags.mlflow.parentRunId = '{outcome.RunId}'", MaxResults = 1000 }, CancellationToken.None);
        Assert.Equal(outcome.Leaderboard.Count(t => t.Status != TrialStatus.Cancelled), children.Items.Count);
        var bestChild = children.Items.Single(r => r.Info.RunId == outcome.Best.RunId);
        Assert.Equal(outcome.Best.Score, bestChild.Data.Metrics.Single(m => m.Key == "score").Value, 9);
        Assert.Contains(bestChild.Data.Metrics, m => m.Key == "fit_seconds");
        Assert.Contains(bestChild.Data.Metrics, m => m.Key == "predict_us_per_row");
        Assert.Contains(bestChild.Data.Metrics, m => m.Key == "model_bytes" && m.Value > 1000);
        Assert.Contains(bestChild.Data.Params, p => p.Key == "shift");
        Assert.True(File.Exists(System.IO.Path.Combine(Path("artifacts"), searchRun.Info.ExperimentId, outcome.RunId!, "artifacts", "pkg", ModelPackage.ManifestFile)));

        using var package = await ModelPackage.OpenAsync(outcome.PackagePath, CancellationToken.None);
        Assert.Equal(outcome.RunId, package.Manifest.Training.RunId);
        using var predictor = Assert.IsType<ImagePredictor>(await new TorchFlavor().LoadAsync(package, CancellationToken.None));
        var scored = await predictor.PredictFolderAsync(root, null, CancellationToken.None);
        Assert.Equal(120, scored.Predictions.Count);
        Assert.Equal(1, scored.Images.BadImageCount);
        var agreement = scored.Images.Dataset.Items.Select((item, i) => item.Label == scored.Predictions.Labels![i] ? 1.0 : 0.0).Average();
        Assert.True(agreement >= 0.9, $"the model agrees with {agreement:P0} of the folder's labels");

        // The reloaded model scores the held-out images exactly as the search did.
        var loaded = (await ImageFolderLoader.LoadAsync(root, new ImageLoadOptions(), null, CancellationToken.None)).Dataset;
        var test = ImageFolders.TestImages(loaded, 5);
        var testPredictions = predictor.PredictImages(test);
        Assert.Equal(outcome.TestMetrics["accuracy"], test.Select((item, i) => item.Label == testPredictions.Labels![i] ? 1.0 : 0.0).Average(), 12);
    }

    [Fact]
    public async Task Ctrl_c_after_the_first_trial_keeps_it_and_packages_its_model_without_a_refit()
    {
        var root = await ImageFolders.DigitsAsync(Path("images"), ["3", "8"], perClass: 30);
        using var stop = new CancellationTokenSource();
        var search = Search();
        search.LeaderboardChanged += ranked =>
        {
            if (ranked.Any(t => t.Status == TrialStatus.Completed))
            {
                stop.Cancel();
            }
        };

        var clock = Stopwatch.StartNew();
        var outcome = await search.RunAsync(new SearchSettings { DataPath = root, Budget = TimeSpan.FromSeconds(300), Seed = 1 }, Path("pkg"), null, stop.Token);
        Show(outcome, clock.Elapsed);

        Assert.True(outcome.StoppedEarly);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"stopping took until {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Contains(outcome.Leaderboard, t => t.Status == TrialStatus.Completed);
        Assert.Contains(outcome.Defaults, d => d.Setting == "refit" && d.Value == "skipped" && d.Reason.Contains("Ctrl+C", StringComparison.Ordinal));
        Assert.Equal(Data.Schema.TaskKind.Binary, outcome.Schema.Task);
        using var package = await ModelPackage.OpenAsync(outcome.PackagePath, CancellationToken.None);
        Assert.Equal(["3", "8"], package.Manifest.Signature.Classes);
    }

    [Theory]
    [InlineData("one_class", "LABEL_SINGLE_CLASS", "one class only")]
    [InlineData("unreadable", "IMAGE_NONE_READABLE", "could be decoded")]
    [InlineData("regression", "TASK_NOT_FOR_IMAGES", "not regression")]
    [InlineData("other_learner", "LEARNER_UNKNOWN", "the image zoo has cnn")]
    public async Task Image_folders_that_cannot_be_learned_are_refused_saying_what_to_do(string kind, string code, string message)
    {
        var root = Path("images");
        if (kind == "unreadable")
        {
            Directory.CreateDirectory(System.IO.Path.Combine(root, "a"));
            Directory.CreateDirectory(System.IO.Path.Combine(root, "b"));
            File.WriteAllBytes(System.IO.Path.Combine(root, "a", "x.png"), [1, 2, 3]);
            File.WriteAllBytes(System.IO.Path.Combine(root, "b", "y.png"), [4, 5, 6]);
        }
        else
        {
            await ImageFolders.DigitsAsync(root, kind == "one_class" ? ["4"] : ["4", "9"], perClass: 10);
        }

        var settings = new SearchSettings
        {
            DataPath = root,
            Budget = TimeSpan.FromSeconds(10),
            Task = kind == "regression" ? Data.Schema.TaskKind.Regression : null,
            Include = kind == "other_learner" ? ["lightgbm"] : null,
        };

        var error = await Assert.ThrowsAsync<FerryException>(() => Search().RunAsync(settings, Path("pkg"), null, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path("pkg")));
    }

    [Fact]
    public void A_drawn_configuration_keeps_the_portfolio_settings_the_space_does_not_vary()
    {
        var photos = new ImageTraits(300, 3, new Learn.ImageShape(48, 48, 3), 0.3);
        var entry = new ImageSearchEntry(new CnnTrainer(), photos);
        var drawn = new Learn.Training.Hyperparameters([new("blocks", "3"), new("learning_rate", "0.001")]);

        var complete = entry.Complete(drawn);

        Assert.Equal(("3", "0.001"), (complete.Choice("blocks", ""), complete.Choice("learning_rate", "")));
        Assert.Equal(("true", "5", "120"), (complete.Choice("flip", ""), complete.Choice("shift", ""), complete.Choice("epochs", "")));
        Assert.Equal(
            entry.Learner.Portfolio(photos).Select(h => h.ToString()),
            entry.Portfolio(new Learn.Training.DataTraits(Data.Schema.TaskKind.Multiclass, 1, 1, 3, 0.3)).Select(h => h.ToString()));
    }

    [Fact]
    public void Probabilities_of_a_model_that_missed_a_class_are_aligned_to_every_class_by_name()
    {
        float[][] probabilities = [[0.25f, 0.75f]];

        var aligned = ImageTrialRunner.Align(["cat", "dog"], ["ant", "cat", "dog"], probabilities);

        Assert.Equal([0f, 0.25f, 0.75f], aligned[0]);
        Assert.Same(probabilities, ImageTrialRunner.Align(["a", "b"], ["a", "b"], probabilities));
    }
}
