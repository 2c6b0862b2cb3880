using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Packaging;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Tests;

public sealed class TorchFlavorTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-torch-flavor-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static TrainingInfo Training() => new(DateTimeOffset.UnixEpoch, "0.1.0", "run", "iris@1", 1, TorchFlavor.LibraryVersions());

    private async Task<(string Package, MlpModel Model, TrainingSet Set)> MlpPackageAsync()
    {
        var set = await TorchTestData.TrainingSetAsync("iris.csv", "label", TaskKind.Multiclass);
        var model = await new MlpLearner().FitMlpAsync(set, Hyperparameters.Empty.With("epochs", 5), seed: 1, CancellationToken.None);
        var target = Path.Combine(_folder.FullName, "iris-mlp");
        var signature = new ModelSignature([.. set.Features.Names.Select(n => new InputColumn(n, ColumnKind.Numeric))], TaskKind.Multiclass, "label", set.Classes);
        var manifest = new ModelManifest(0, TorchFlavor.FlavorName, "mlp", signature, new Dictionary<string, string>(), Training());
        await ModelPackageWriter.WriteAsync(target, manifest, async (staging, ct) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(staging, TorchFlavor.ModelFolder)).FullName;
            await model.SaveAsync(folder, ct);
        }, CancellationToken.None);
        return (target, model, set);
    }

    /// <summary>What the tabular side would plug in: here, a predictor that reads already-featurised columns.</summary>
    private sealed class FeaturePredictor(ModelSignature signature, IFittedModel model) : IPredictor
    {
        public ModelSignature Signature => signature;

        public Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
        {
            var columns = Signature.Inputs.Select(i => (NumericColumn)features[i.Name]).ToArray();
            var values = Enumerable.Range(0, features.RowCount).SelectMany(r => columns.Select(c => (float)c[r])).ToArray();
            var probabilities = model.Predict(new FeatureMatrix(values, [.. Signature.Inputs.Select(i => i.Name)]));
            var labels = probabilities.Select(p => Signature.Classes[Array.IndexOf(p, p.Max())]).ToArray();
            return Task.FromResult(Predictions.ForClasses(Signature.Task, Signature.Classes, labels, probabilities));
        }

        public void Dispose() => model.Dispose();
    }

    [Fact]
    public async Task An_mlp_package_loads_through_the_tabular_extension_point_and_predicts_exactly_the_same()
    {
        var (target, model, set) = await MlpPackageAsync();
        using (model)
        {
            using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);
            var flavor = new TorchFlavor((p, fitted, _) => Task.FromResult<IPredictor>(new FeaturePredictor(p.Manifest.Signature, fitted)));
            using var predictor = await flavor.LoadAsync(package, CancellationToken.None);
            var table = new Table(set.Features.Names.Select((n, f) => new NumericColumn(n, [.. Enumerable.Range(0, set.Features.Rows).Select(r => (double)set.Features.Values[(r * set.Features.Columns) + f])])));
            var predictions = await predictor.PredictAsync(table, CancellationToken.None);
            Assert.Equal(model.Predict(set.Features), predictions.Probabilities);

            using var fitted = await TorchFlavor.LoadFittedAsync(package, CancellationToken.None);
            Assert.Equal(model.Predict(set.Features), fitted.Predict(set.Features));
        }
    }

    [Fact]
    public async Task An_mlp_package_without_the_tabular_extension_and_an_unknown_learner_are_refused_clearly()
    {
        var (target, model, _) = await MlpPackageAsync();
        model.Dispose();
        using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);
        var error = await Assert.ThrowsAsync<FerryException>(() => new TorchFlavor().LoadAsync(package, CancellationToken.None));
        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("featurizer", error.Message, StringComparison.Ordinal);

        var json = await File.ReadAllTextAsync(Path.Combine(target, "model.json"));
        await File.WriteAllTextAsync(Path.Combine(target, "model.json"), json.Replace("\"learner\": \"mlp\"", "\"learner\": \"rnn\"", StringComparison.Ordinal));
        using var renamed = await ModelPackage.OpenAsync(target, CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<FerryException>(() => new TorchFlavor().LoadAsync(renamed, CancellationToken.None));
        Assert.Contains("'rnn'", unknown.Message, StringComparison.Ordinal);
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
