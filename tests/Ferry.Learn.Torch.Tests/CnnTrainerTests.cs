using Ferry.Data.Images;
using Ferry.Learn.Packaging;
using Ferry.Learn.Torch.Images;
using Ferry.Learn.Training;
using Xunit.Abstractions;

namespace Ferry.Learn.Torch.Tests;

/// <summary>Digits as 8x8 images, split once, with one model fitted on the portfolio's first configuration.</summary>
public sealed class DigitsCnnFixture : IAsyncLifetime
{
    public ImageDataset Train { get; private set; } = null!;

    public ImageDataset Test { get; private set; } = null!;

    public Hyperparameters Configuration { get; private set; } = null!;

    public CnnModel Model { get; private set; } = null!;

    public TimeSpan FitTime { get; private set; }

    public async Task InitializeAsync()
    {
        var digits = await TorchTestData.DigitsAsync();
        var (train, test) = TorchTestData.Split(digits, 0.25, seed: 11);
        Train = new ImageDataset(train.Select(i => digits.Items[i]));
        Test = new ImageDataset(test.Select(i => digits.Items[i]));
        Configuration = new CnnTrainer().Portfolio(ImageTraits.Of(Train))[0];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Model = await new CnnTrainer().FitCnnAsync(Train, Configuration, seed: 1, CancellationToken.None);
        FitTime = watch.Elapsed;
    }

    public Task DisposeAsync()
    {
        Model.Dispose();
        return Task.CompletedTask;
    }

    public float[] TestLabels() => [.. Test.Items.Select(i => (float)Model.Classes.ToList().IndexOf(i.Label))];
}

/// <summary>The test classes sharing one fitted digits CNN (fitting it takes seconds; once is enough).</summary>
[CollectionDefinition(Name)]
public sealed class DigitsCnnGroup : ICollectionFixture<DigitsCnnFixture>
{
    public const string Name = "digits cnn";
}

[Collection(DigitsCnnGroup.Name)]
public sealed class CnnTrainerTests(DigitsCnnFixture digits, ITestOutputHelper output)
{
    private static readonly CnnTrainer Trainer = new();

    [Fact]
    public void Digits_as_images_reach_a_held_out_accuracy_of_at_least_0_95_within_a_minute()
    {
        var accuracy = TorchTestMetrics.Accuracy(digits.Model.Predict(digits.Test.Items), digits.TestLabels());
        output.WriteLine($"accuracy {accuracy:F4}, fit {digits.FitTime.TotalSeconds:F1} s, {digits.Model.Report}, {digits.Configuration}");
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:F4} after {digits.Model.Report}");
        Assert.True(digits.FitTime < TimeSpan.FromSeconds(60), $"fit took {digits.FitTime}");
        Assert.Equal(new ImageShape(8, 8, 1), digits.Model.Shape);
    }

    [Fact]
    public void The_portfolio_augments_digits_with_shifts_but_no_flips_and_photos_with_both()
    {
        var gray = Trainer.Portfolio(ImageTraits.Of(digits.Train));
        var photos = Trainer.Portfolio(new ImageTraits(5000, 4, new ImageShape(224, 160, 3), 0.25));
        Assert.All(gray, h => Assert.Equal(("1", "false", "ce"), (h.Choice("shift", ""), h.Choice("flip", ""), h.Choice("loss", ""))));
        Assert.All(photos, h => Assert.Equal(("6", "true"), (h.Choice("shift", ""), h.Choice("flip", ""))));
        Assert.All(Trainer.Portfolio(new ImageTraits(5000, 4, new ImageShape(32, 32, 3), 0.02)), h => Assert.Equal("focal", h.Choice("loss", "")));
    }

    [Fact]
    public async Task A_package_written_and_loaded_through_the_torch_flavor_predicts_table_rows_exactly_as_the_model_predicts_images()
    {
        var temp = Directory.CreateTempSubdirectory("ferry-cnn-package-");
        try
        {
            var target = Path.Combine(temp.FullName, "digits-cnn");
            var signature = ImagePackage.Signature(digits.Model, "label", PixelTable.Digits);
            var training = new TrainingInfo(DateTimeOffset.UnixEpoch, "0.1.0", null, "digits.csv", 1, TorchFlavor.LibraryVersions());
            await ImagePackage.WriteAsync(target, "cnn", digits.Model, signature, training, PixelTable.Digits, CancellationToken.None);

            using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);
            Assert.Contains("model/weights.bin", package.Manifest.Files.Keys);
            using var predictor = await new TorchFlavor().LoadAsync(package, CancellationToken.None);
            Assert.Equal(signature.Classes, predictor.Signature.Classes);
            Assert.Equal(new ImageShape(8, 8, 1), predictor.Signature.Image);

            var table = await TorchTestData.LoadAsync("digits.csv");
            var rows = Enumerable.Range(0, 200).ToArray();
            var predictions = await predictor.PredictAsync(table.SelectRows(rows), CancellationToken.None);
            var direct = digits.Model.Predict(DigitsImages.FromTable(table.SelectRows(rows)).Items);
            Assert.Equal(direct, predictions.Probabilities);
            Assert.Equal(rows.Length, predictions.Count);
            var agreement = rows.Count(r => predictions.Labels![r] == table["label"].GetText(r)) / (double)rows.Length;
            Assert.True(agreement > 0.95, $"agreement with the labels {agreement}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_pixel_table_with_a_missing_or_out_of_range_pixel_is_refused_naming_it()
    {
        var temp = Directory.CreateTempSubdirectory("ferry-cnn-package-");
        try
        {
            var target = Path.Combine(temp.FullName, "p");
            var training = new TrainingInfo(DateTimeOffset.UnixEpoch, "0.1.0", null, null, 1, TorchFlavor.LibraryVersions());
            await ImagePackage.WriteAsync(target, "cnn", digits.Model, ImagePackage.Signature(digits.Model, "label", PixelTable.Digits), training, PixelTable.Digits, CancellationToken.None);
            using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);
            using var predictor = await new TorchFlavor().LoadAsync(package, CancellationToken.None);
            var table = (await TorchTestData.LoadAsync("digits.csv")).SelectRows([0, 1]);

            var missing = new Ferry.Data.Tables.Table(table.Columns.Where(c => c.Name != "p17"));
            var outOfRange = new Ferry.Data.Tables.Table(table.Columns.Select(c => c.Name == "p3" ? new Ferry.Data.Tables.NumericColumn("p3", [1, 40]) : c));
            var missingError = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(missing, CancellationToken.None));
            var rangeError = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(outOfRange, CancellationToken.None));
            Assert.Equal(("INPUT_INVALID", "INPUT_INVALID"), (missingError.Code, rangeError.Code));
            Assert.Contains("'p17'", missingError.Message, StringComparison.Ordinal);
            Assert.Contains("row 2, column 'p3'", rangeError.Message, StringComparison.Ordinal);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_cnn_and_a_saved_one_loads_identically()
    {
        var configuration = digits.Configuration.With("epochs", 2);
        using var first = await Trainer.FitCnnAsync(digits.Train, configuration, seed: 5, CancellationToken.None);
        using var second = await Trainer.FitCnnAsync(digits.Train, configuration, seed: 5, CancellationToken.None);
        var test = digits.Test.Items.Take(100).ToArray();
        Assert.Equal(first.Predict(test), second.Predict(test));

        var folder = Directory.CreateTempSubdirectory("ferry-cnn-");
        try
        {
            await first.SaveAsync(folder.FullName, CancellationToken.None);
            using var loaded = await Trainer.LoadAsync(folder.FullName, CancellationToken.None);
            Assert.Equal(first.Predict(test), loaded.Predict(test));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Predictions_from_many_threads_at_once_equal_one_at_a_time()
    {
        var images = digits.Test.Items.Take(64).ToArray();
        var alone = digits.Model.Predict(images);
        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => digits.Model.Predict(images))));
        Assert.All(together, p => Assert.Equal(alone, p));
    }

    [Fact]
    public async Task Cancellation_stops_a_long_cnn_fit()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Trainer.FitAsync(digits.Train, digits.Configuration.With("epochs", 10_000).With("patience", 10_000), seed: 1, cancel.Token));
    }

    [Fact]
    public async Task A_dataset_with_one_class_is_refused()
    {
        var one = new ImageDataset(digits.Train.Items.Where(i => i.Label == "3"));
        var error = await Assert.ThrowsAsync<FerryException>(() => Trainer.FitAsync(one, Hyperparameters.Empty, 1, CancellationToken.None));
        Assert.Equal("LABEL_ONE_CLASS", error.Code);
    }
}
