using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Torch.Images;

namespace Ferry.Cli.Tests;

/// <summary>
/// Test classes that search models within a time budget: they run one after another, as a search on a shared,
/// loaded machine would otherwise starve another of the time it was given.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrainingSearches
{
    public const string Name = "training searches";
}

/// <summary><c>ferry train</c> on image folders and on the digits table read as images (<c>--pixels</c>).</summary>
[Collection(TrainingSearches.Name)]
public sealed partial class ImageTrainCommandTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-cli-images-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Delete(recursive: true);
    }

    private string In(string name) => Path.Combine(_home.FullName, name);

    private static async Task<Table> DigitsTableAsync() =>
        (await CsvTableReader.LoadAsync(CliRunner.Sample("digits.csv"), new TableLoadOptions(), null, CancellationToken.None)).Table;

    /// <summary>A small image folder: <paramref name="perClass"/> digits of each of <paramref name="digits"/> as 8x8 gray PNGs in root/&lt;digit&gt;/.</summary>
    private async Task<string> ImageFolderAsync(string name, string[] digits, int perClass)
    {
        var all = DigitsImages.FromTable(await DigitsTableAsync());
        var root = In(name);
        await ImageFolderWriter.WriteAsync(new ImageDataset(digits.SelectMany(d => all.Items.Where(i => i.Label == d).Take(perClass))), root, CancellationToken.None);
        return root;
    }

    /// <summary>The test images the search holds out with the default seed (42) and test share (20%), recomputed.</summary>
    private static IReadOnlyList<ImageItem> TestImages(ImageDataset images)
    {
        var labels = new Table([StringColumn.FromValues("label", images.Items.Select(i => i.Label))]);
        return [.. Splitter.TrainValidationTest(labels, "label", 0, 0.2, 42).Test.Select(i => images.Items[i])];
    }

    /// <summary>The test accuracy <c>ferry train</c> printed.</summary>
    private static double PrintedAccuracy(string output) =>
        double.Parse(TestAccuracy().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Test set \(untouched until now\):.*?\baccuracy ([0-9.]+)", RegexOptions.Singleline)]
    private static partial Regex TestAccuracy();

    [Fact]
    public async Task Train_on_an_image_folder_keeps_the_budget_registers_a_challenger_and_the_package_scores_the_test_images_as_the_search_did()
    {
        var root = await ImageFolderAsync("digits", ["0", "1", "7"], perClass: 40);
        await File.WriteAllBytesAsync(Path.Combine(root, "1", "damaged.png"), [0x89, 0x50, 0x4E, 0x47]);
        var package = In("model");

        var clock = Stopwatch.StartNew();
        var train = await CliRunner.RunAsync(_home.FullName, "train", root, "--time", "45", "--register", "digit-images", "-o", package);
        var elapsed = clock.Elapsed;

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        // 10% over the budget, plus a second for opening the store and registering, which the budget does not cover.
        Assert.True(elapsed <= TimeSpan.FromSeconds(50.5), $"a 45 s budget took {elapsed.TotalSeconds:F1} s\n{train}");
        Assert.Contains("Registered digit-images version 1 with alias challenger", train.Output, StringComparison.Ordinal);
        Assert.Contains("skipped_images = 1", train.Output, StringComparison.Ordinal);
        Assert.Contains("cnn", train.Output, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync(_home.FullName, "models", "show", "digit-images@challenger");
        Assert.True(show.ExitCode == CliApp.Success, show.ToString());
        Assert.Contains("best.learner=cnn", show.Output, StringComparison.Ordinal);

        using var predictor = Assert.IsType<ImagePredictor>(await CliContext.Flavors().LoadPredictorAsync(package, CancellationToken.None));
        var images = (await ImageFolderLoader.LoadAsync(root, new ImageLoadOptions(), null, CancellationToken.None)).Dataset;
        var test = TestImages(images);
        var predicted = predictor.PredictImages(test);
        var accuracy = test.Select((item, i) => item.Label == predicted.Labels![i] ? 1.0 : 0.0).Average();
        Assert.Equal(PrintedAccuracy(train.Output), Math.Round(accuracy, 4));
        Assert.Equal(["0", "1", "7"], predictor.Signature.Classes);

        // A flat folder of new images, as `ferry predict` would get it.
        var flat = In("new");
        Directory.CreateDirectory(flat);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "7")).Where(f => !f.EndsWith("damaged.png", StringComparison.Ordinal)).Take(5))
        {
            File.Copy(file, Path.Combine(flat, Path.GetFileName(file)));
        }

        var scored = await predictor.PredictFolderAsync(flat, null, CancellationToken.None);
        Assert.Equal(5, scored.Predictions.Count);
        Assert.All(scored.Images.Dataset.Items, i => Assert.Equal("", i.Label));
        Assert.True(scored.Predictions.Labels!.Count(l => l == "7") >= 4, string.Join(",", scored.Predictions.Labels!));

        // `ferry predict` on that folder, with the registered model: one row per image, as the predictor scored them.
        var output = In("scores.csv");
        var predict = await CliRunner.RunAsync(_home.FullName, "predict", "digit-images@challenger", flat, "-o", output);
        Assert.True(predict.ExitCode == CliApp.Success, predict.ToString());
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("image,prediction,probability_0,probability_1,probability_7", lines[0]);
        Assert.Equal(scored.Images.Dataset.Items.Select((item, i) => $"{item.Id},{scored.Predictions.Labels![i]}"), lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))));
        var table = await CliRunner.RunAsync(_home.FullName, "predict", "digit-images@challenger", CliRunner.Sample("iris.csv"));
        Assert.NotEqual(CliApp.Success, table.ExitCode);
        Assert.Contains("takes a folder of images, not the table", table.Error, StringComparison.Ordinal);
        var byPath = await CliRunner.RunAsync(_home.FullName, "predict", package, flat);
        Assert.True(byPath.ExitCode == CliApp.Success, byPath.ToString());
        Assert.Equal(lines, byPath.Output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Train_with_pixels_reads_digits_rows_as_images_and_the_package_predicts_from_rows()
    {
        var table = await DigitsTableAsync();
        var subset = In("digits-subset.csv");
        await CsvTableWriter.WriteAsync(table.SelectRows([.. Enumerable.Range(0, 200)]), subset, CancellationToken.None);
        var package = In("model");

        var train = await CliRunner.RunAsync(_home.FullName, "train", subset, "--pixels", "--time", "60", "-o", package);

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        using var predictor = await CliContext.Flavors().LoadPredictorAsync(package, CancellationToken.None);
        Assert.Equal(64, predictor.Signature.Inputs.Count);
        var rows = (await CsvTableReader.LoadAsync(subset, new TableLoadOptions(), null, CancellationToken.None)).Table;
        var testRows = TestImages(DigitsImages.FromTable(rows)).Select(i => int.Parse(i.Id["row-".Length..], CultureInfo.InvariantCulture) - 1).ToArray();
        var predicted = await predictor.PredictAsync(rows.SelectRows(testRows), CancellationToken.None);
        var accuracy = testRows.Select((row, i) => rows["label"].GetText(row) == predicted.Labels![i] ? 1.0 : 0.0).Average();
        Assert.Equal(PrintedAccuracy(train.Output), Math.Round(accuracy, 4));
        Assert.True(accuracy >= 0.7, $"test accuracy {accuracy:F3} on 40 rows\n{train}");
    }

    [Theory]
    [InlineData("one_class", CliApp.Failure, "one class only")]
    [InlineData("unreadable", CliApp.Failure, "could be decoded")]
    [InlineData("pixels", CliApp.UsageError, "without --pixels")]
    [InlineData("label", CliApp.UsageError, "does not apply")]
    public async Task Image_folders_that_cannot_be_trained_on_get_a_clear_error_and_no_package(string kind, int exitCode, string expected)
    {
        string root;
        if (kind == "unreadable")
        {
            root = In("broken");
            Directory.CreateDirectory(Path.Combine(root, "a"));
            Directory.CreateDirectory(Path.Combine(root, "b"));
            await File.WriteAllTextAsync(Path.Combine(root, "a", "1.png"), "not an image");
            await File.WriteAllTextAsync(Path.Combine(root, "b", "1.jpg"), "not an image either");
        }
        else
        {
            root = await ImageFolderAsync("images", kind == "one_class" ? ["5"] : ["5", "6"], perClass: 10);
        }

        string[] extra = kind switch
        {
            "pixels" => ["--pixels"],
            "label" => ["--label", "species"],
            _ => [],
        };

        var result = await CliRunner.RunAsync(_home.FullName, ["train", root, "--time", "10", "-o", In("never"), .. extra]);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(In("never")));
    }
}
