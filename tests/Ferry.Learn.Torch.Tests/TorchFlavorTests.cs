using System.Text.Json.Nodes;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Tests;

public sealed class TorchFlavorTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-torch-flavor-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static TrainingInfo Training() => new(DateTimeOffset.UnixEpoch, "0.1.0", "run", "iris@1", 1, new MlpLearner().LibraryVersions());

    /// <summary>An MLP behind a featurizer fitted on raw sample rows, written the way <c>ferry train</c> writes its winner.</summary>
    private async Task<(string Package, TabularPredictor Predictor, Table Test)> MlpPackageAsync(string sample, string label, double threshold = 0.5, int epochs = 5)
    {
        var table = await TorchTestData.LoadAsync(sample);
        var schema = SchemaInference.Infer(table, label);
        var split = Splitter.TrainValidationTest(table, schema.Task == TaskKind.Regression ? null : label, 0, 0.25, 7);
        var (train, test) = (table.SelectRows(split.Train), table.SelectRows(split.Test));
        var featurizer = Featurizer.Fit(train, schema, new FeaturizerOptions { Scale = true });
        var learner = new MlpLearner();
        var model = await learner.FitAsync(TrainingSets.Create(train, schema, featurizer), Hyperparameters.Empty.With("epochs", epochs), seed: 1, CancellationToken.None);
        var predictor = TabularPredictor.Create(learner, featurizer, model, schema, threshold);
        var target = Path.Combine(_folder.FullName, Path.GetFileNameWithoutExtension(sample));
        await TabularPackage.WriteAsync(target, predictor, Training(), reference: null, CancellationToken.None);
        return (target, predictor, test);
    }

    [Theory]
    [InlineData("iris.csv", "label", 0.5)]
    [InlineData("breast_cancer.csv", "label", 0.3)]
    [InlineData("diabetes.csv", "target", 0.5)]
    public async Task An_mlp_package_folder_or_zip_loads_as_a_tabular_predictor_that_predicts_exactly_the_same(string sample, string label, double threshold)
    {
        var (target, predictor, test) = await MlpPackageAsync(sample, label, threshold);
        using var _ = predictor;
        var expected = predictor.Predict(test);
        var zip = target + ".zip";
        await ModelPackageWriter.ZipAsync(target, zip, CancellationToken.None);

        foreach (var path in new[] { target, zip })
        {
            using var loaded = await ModelFlavors.Builtin.With(new TorchFlavor()).LoadPredictorAsync(path, CancellationToken.None);

            var tabular = Assert.IsType<TabularPredictor>(loaded);
            Assert.Equal("mlp", tabular.Learner);
            Assert.Equal(threshold, tabular.Threshold);
            // The featurised input space stays reachable for the robustness checks.
            Assert.IsType<MlpModel>(tabular.Model);
            var actual = await loaded.PredictAsync(test, CancellationToken.None);
            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(expected.Values, actual.Values);
            Assert.Equal(expected.Probabilities?.Count, actual.Probabilities?.Count);
            for (var i = 0; i < (expected.Probabilities?.Count ?? 0); i++)
            {
                Assert.Equal(expected.Probabilities![i], actual.Probabilities![i]);
            }
        }
    }

    [Fact]
    public async Task The_package_records_the_torch_runtime_versions()
    {
        var (target, predictor, _) = await MlpPackageAsync("iris.csv", "label");
        predictor.Dispose();

        using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);

        Assert.Equal(TorchFlavor.FlavorName, package.Manifest.Flavor);
        Assert.Equal(typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3), package.Manifest.Training.Libraries["TorchSharp"]);
        Assert.Matches(@"^\d+\.\d+", package.Manifest.Training.Libraries["libtorch"]);
    }

    [Fact]
    public async Task An_unknown_learner_and_a_package_without_the_network_weights_are_refused_clearly()
    {
        var (target, predictor, _) = await MlpPackageAsync("iris.csv", "label");
        predictor.Dispose();
        var manifestPath = Path.Combine(target, ModelPackage.ManifestFile);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;

        manifest["learner"] = "rnn";
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        using (var renamed = await ModelPackage.OpenAsync(target, CancellationToken.None))
        {
            var unknown = await Assert.ThrowsAsync<FerryException>(() => new TorchFlavor().LoadAsync(renamed, CancellationToken.None));
            Assert.Equal("PACKAGE_INVALID", unknown.Code);
            Assert.Contains("'rnn'", unknown.Message, StringComparison.Ordinal);
        }

        // A manifest that does not list the weights (and a folder without them) is a package that cannot be verified.
        manifest["learner"] = "mlp";
        manifest["files"]!.AsObject().Remove($"{TorchFlavor.ModelFolder}/{MlpModel.WeightsFile}");
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        File.Delete(Path.Combine(target, TorchFlavor.ModelFolder, MlpModel.WeightsFile));
        using var partial = await ModelPackage.OpenAsync(target, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<FerryException>(() => new TorchFlavor().LoadAsync(partial, CancellationToken.None));
        Assert.Equal("PACKAGE_INVALID", missing.Code);
        Assert.Contains(MlpModel.WeightsFile, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_files_that_do_not_fit_their_architecture_are_refused_with_a_clear_error()
    {
        var set = await TorchTestData.TrainingSetAsync("iris.csv", "label", TaskKind.Multiclass);
        var learner = new MlpLearner();
        using var small = await learner.FitAsync(set, Hyperparameters.Empty.With("epochs", 1).With("width", 8), seed: 1, CancellationToken.None);
        using var large = await learner.FitAsync(set, Hyperparameters.Empty.With("epochs", 1).With("width", 16), seed: 1, CancellationToken.None);
        var a = Directory.CreateDirectory(Path.Combine(_folder.FullName, "a")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(_folder.FullName, "b")).FullName;
        await small.SaveAsync(a, CancellationToken.None);
        await large.SaveAsync(b, CancellationToken.None);

        File.Copy(Path.Combine(b, MlpModel.WeightsFile), Path.Combine(a, MlpModel.WeightsFile), overwrite: true);
        var mismatch = await Assert.ThrowsAsync<FerryException>(() => learner.LoadAsync(a, CancellationToken.None));
        Assert.Equal("MODEL_FILES_INVALID", mismatch.Code);

        await File.WriteAllTextAsync(Path.Combine(b, MlpModel.WeightsFile), "not weights");
        Assert.Equal("MODEL_FILES_INVALID", (await Assert.ThrowsAsync<FerryException>(() => learner.LoadAsync(b, CancellationToken.None))).Code);

        File.Delete(Path.Combine(b, MlpModel.ArchitectureFile));
        Assert.Equal("MODEL_FILES_INVALID", (await Assert.ThrowsAsync<FerryException>(() => learner.LoadAsync(b, CancellationToken.None))).Code);
    }
}
