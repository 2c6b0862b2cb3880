using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Ensembles;

public sealed class EnsemblePackageTests : IDisposable
{
    private static readonly TrainingInfo Training = new(DateTimeOffset.UnixEpoch, "0.1.0", "run-1", "sample@1", 3, MlNetContext.Libraries);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-ensemble-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>A LightGBM member on unscaled features and an SDCA member on scaled ones, weighted 0.6 and 0.4.</summary>
    private static async Task<(EnsemblePredictor Ensemble, Holdout Holdout)> TrainAsync(string sample, double threshold = 0.5)
    {
        var holdout = await LearnSamples.HoldoutAsync(sample, scale: false);
        var traits = holdout.Train.Traits();
        var trees = new LightGbmLearner();
        var linear = new SdcaLearner();
        var scaled = holdout.Featurizer.WithScaling(true);
        var treeModel = await trees.FitAsync(holdout.Train, trees.Portfolio(traits)[0], 3, CancellationToken.None);
        var linearModel = await linear.FitAsync(TrainingSets.Create(holdout.TrainRows, holdout.Schema, scaled), linear.Portfolio(traits)[0], 3, CancellationToken.None);
        var ensemble = new EnsemblePredictor(
            [
                new EnsembleMember(TabularPredictor.Create(trees, holdout.Featurizer, treeModel, holdout.Schema), trees.Name, 0.6, 4),
                new EnsembleMember(TabularPredictor.Create(linear, scaled, linearModel, holdout.Schema), linear.Name, 0.4, 9),
            ],
            holdout.Featurizer.Signature(holdout.Schema),
            threshold);
        return (ensemble, holdout);
    }

    private async Task<string> WriteAsync(EnsemblePredictor ensemble, Holdout holdout, string name = "pkg")
    {
        var reference = ReferenceProfileBuilder.Build(holdout.TestRows, ensemble.Signature, await ensemble.PredictAsync(holdout.TestRows, CancellationToken.None), "validation");
        var target = Path.Combine(_folder.FullName, name);
        await EnsemblePackage.WriteAsync(target, ensemble, Training, reference, CancellationToken.None);
        return target;
    }

    [Theory]
    [InlineData("breast_cancer")]
    [InlineData("iris")]
    [InlineData("diabetes")]
    public async Task A_saved_and_loaded_ensemble_predicts_exactly_the_same(string sample)
    {
        var (ensemble, holdout) = await TrainAsync(sample, threshold: 0.41);
        using var _ = ensemble;
        var expected = await ensemble.PredictAsync(holdout.TestRows, CancellationToken.None);
        var target = await WriteAsync(ensemble, holdout);
        await ModelPackageWriter.ZipAsync(target, target + ".zip", CancellationToken.None);

        foreach (var path in new[] { target, target + ".zip" })
        {
            using var loaded = Assert.IsType<EnsemblePredictor>(await ModelFlavors.Builtin.LoadPredictorAsync(path, CancellationToken.None));
            var actual = await loaded.PredictAsync(holdout.TestRows, CancellationToken.None);

            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(expected.Values, actual.Values);
            Assert.Equal(expected.Probabilities?.Count, actual.Probabilities?.Count);
            for (var i = 0; i < (expected.Probabilities?.Count ?? 0); i++)
            {
                Assert.Equal(expected.Probabilities![i], actual.Probabilities![i]);
            }

            Assert.Equal([("lightgbm", 0.6, (int?)4), ("sdca", 0.4, 9)], loaded.Members.Select(m => (m.Learner, m.Weight, m.Trial)));
            Assert.Equal(holdout.Schema.Task == TaskKind.Binary ? 0.41 : 0.5, loaded.Threshold);
        }
    }

    [Fact]
    public async Task The_ensemble_averages_its_members_with_their_weights()
    {
        var (ensemble, holdout) = await TrainAsync("iris");
        using var _ = ensemble;

        var combined = await ensemble.ScoreAsync(holdout.TestRows, CancellationToken.None);
        var first = await ensemble.Members[0].Predictor.PredictAsync(holdout.TestRows, CancellationToken.None);
        var second = await ensemble.Members[1].Predictor.PredictAsync(holdout.TestRows, CancellationToken.None);

        for (var r = 0; r < combined.Length; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal((0.6 * first.Probabilities![r][c]) + (0.4 * second.Probabilities![r][c]), combined[r][c], 6);
            }
        }
    }

    [Fact]
    public async Task The_package_holds_every_member_as_a_verified_sub_package()
    {
        var (ensemble, holdout) = await TrainAsync("breast_cancer");
        using var _ = ensemble;
        var target = await WriteAsync(ensemble, holdout);

        using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);
        Assert.Equal(("ensemble", "ensemble"), (package.Manifest.Flavor, package.Manifest.Learner));
        Assert.Equal("lightgbm,sdca", package.Manifest.Settings![EnsemblePackage.MembersSetting]);
        Assert.Equal(
            ["ensemble.json", "members/0/features.json", "members/0/model.json", "members/0/model/model.zip",
             "members/1/features.json", "members/1/model.json", "members/1/model/model.zip", "reference.json"],
            package.Manifest.Files.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(await TabularPackage.ReadReferenceAsync(package, CancellationToken.None));

        // A member's file changed after packaging is caught by the ensemble's own manifest.
        var features = Path.Combine(target, "members", "1", "features.json");
        await File.WriteAllTextAsync(features, (await File.ReadAllTextAsync(features)).Replace("\"median\": ", "\"median\": 1", StringComparison.Ordinal));
        var tampered = await Assert.ThrowsAsync<FerryException>(() => ModelFlavors.Builtin.LoadPredictorAsync(target, CancellationToken.None));
        Assert.Equal("PACKAGE_INVALID", tampered.Code);
        Assert.Contains("members/1/features.json", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_load_through_the_registry_the_ensemble_is_loaded_through()
    {
        var (ensemble, holdout) = await TrainAsync("iris");
        using var _ = ensemble;
        var target = await WriteAsync(ensemble, holdout);

        // A registry with the ensemble runtime but no ML.NET one cannot load ML.NET members, and says which flavor is missing.
        var withoutMlNet = new ModelFlavors([new EnsembleFlavor()]);
        var error = await Assert.ThrowsAsync<FerryException>(() => withoutMlNet.LoadPredictorAsync(target, CancellationToken.None));
        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("flavor 'mlnet' has no runtime", error.Message, StringComparison.Ordinal);

        // Composing more runtimes (as the CLI adds torch) keeps the ensemble working through the composed registry.
        using var loaded = await withoutMlNet.With(new MlNetFlavor()).LoadPredictorAsync(target, CancellationToken.None);
        Assert.Equal(2, Assert.IsType<EnsemblePredictor>(loaded).Members.Count);
    }

    [Fact]
    public async Task An_ensemble_inside_an_ensemble_is_refused()
    {
        var (ensemble, holdout) = await TrainAsync("iris");
        using var _ = ensemble;
        var inner = await WriteAsync(ensemble, holdout, "inner");
        var manifest = new ModelManifest(0, EnsemblePackage.FlavorName, "ensemble", ensemble.Signature, new Dictionary<string, string>(), Training);
        var outer = Path.Combine(_folder.FullName, "outer");
        await ModelPackageWriter.WriteAsync(outer, manifest, async (folder, ct) =>
        {
            foreach (var file in Directory.EnumerateFiles(inner, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(folder, "members", "0", Path.GetRelativePath(inner, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, EnsemblePackage.MembersFile),
                JsonSerializer.Serialize(new { version = 1, members = new[] { new { path = "members/0", learner = "ensemble", flavor = "ensemble", weight = 1.0 } } }), ct);
        }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<FerryException>(() => ModelFlavors.Builtin.LoadPredictorAsync(outer, CancellationToken.None));

        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("itself an ensemble", error.Message, StringComparison.Ordinal);
    }
}
