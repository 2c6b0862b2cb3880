using System.Text.Json.Nodes;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Learners.Linear;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Tabular;

public sealed class TabularPackageTests : IDisposable
{
    private static readonly TrainingInfo Training = new(DateTimeOffset.UnixEpoch, "0.1.0", "run-1", "penguins@1", 3, MlNetContext.Libraries);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-tabular-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task<(TabularPredictor Predictor, Holdout Holdout)> TrainAsync(string sample, ILearner learner, double threshold = 0.5)
    {
        var holdout = await LearnSamples.HoldoutAsync(sample, learner.NeedsScaling);
        var model = await learner.FitAsync(holdout.Train, learner.Portfolio(holdout.Train.Traits())[0], 3, CancellationToken.None);
        return (TabularPredictor.Create(learner, holdout.Featurizer, model, holdout.Schema, threshold), holdout);
    }

    private async Task<string> WriteAsync(TabularPredictor predictor, Holdout holdout, string name = "pkg")
    {
        var predictions = predictor.Predict(holdout.TestRows);
        var reference = ReferenceProfileBuilder.Build(holdout.TestRows, predictor.Signature, predictions, "validation");
        var target = Path.Combine(_folder.FullName, name);
        await TabularPackage.WriteAsync(target, predictor, Training, reference, CancellationToken.None);
        return target;
    }

    private static void AssertSamePredictions(Predictions expected, Predictions actual)
    {
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Probabilities?.Count, actual.Probabilities?.Count);
        for (var i = 0; i < (expected.Probabilities?.Count ?? 0); i++)
        {
            Assert.Equal(expected.Probabilities![i], actual.Probabilities![i]);
        }
    }

    [Theory]
    [InlineData("lightgbm", "penguins")]
    [InlineData("sdca", "breast_cancer")]
    [InlineData("fastforest", "diabetes")]
    [InlineData("ridge", "diabetes")]
    public async Task A_saved_and_loaded_package_predicts_exactly_the_same(string learnerName, string sample)
    {
        var learner = learnerName == "ridge" ? new RidgeLearner() : MlNetZoo.Find(learnerName)!;
        var (predictor, holdout) = await TrainAsync(sample, learner, threshold: 0.37);
        using var _ = predictor;
        var expected = await predictor.PredictAsync(holdout.TestRows, CancellationToken.None);
        var target = await WriteAsync(predictor, holdout);
        var zip = target + ".zip";
        await ModelPackageWriter.ZipAsync(target, zip, CancellationToken.None);

        foreach (var path in new[] { target, zip })
        {
            using var loaded = await ModelFlavors.Builtin.LoadPredictorAsync(path, CancellationToken.None);

            AssertSamePredictions(expected, await loaded.PredictAsync(holdout.TestRows, CancellationToken.None));
            Assert.Equal(predictor.Signature.Inputs.Select(i => i.Name), loaded.Signature.Inputs.Select(i => i.Name));
            var tabular = Assert.IsType<TabularPredictor>(loaded);
            Assert.Equal(learnerName, tabular.Learner);
            Assert.Equal(holdout.Schema.Task == TaskKind.Binary ? 0.37 : 0.5, tabular.Threshold);
        }
    }

    [Fact]
    public async Task The_package_holds_the_featurizer_model_and_reference_and_names_learner_and_threshold()
    {
        var (predictor, holdout) = await TrainAsync("breast_cancer", new LightGbmLearner(), threshold: 0.42);
        using var _ = predictor;

        using var package = await ModelPackage.OpenAsync(await WriteAsync(predictor, holdout), CancellationToken.None);

        var manifest = package.Manifest;
        Assert.Equal("mlnet", manifest.Flavor);
        Assert.Equal("lightgbm", manifest.Learner);
        Assert.Equal("lightgbm", manifest.Settings![TabularPackage.LearnerSetting]);
        Assert.Equal("0.42", manifest.Settings[TabularPackage.ThresholdSetting]);
        Assert.Equal(["features.json", "model/model.zip", "reference.json"], manifest.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["benign", "malignant"], manifest.Signature.Classes);
        Assert.Equal(30, manifest.Signature.Inputs.Count);
        var reference = await TabularPackage.ReadReferenceAsync(package, CancellationToken.None);
        Assert.NotNull(reference);
        Assert.Equal(holdout.TestRows.RowCount, reference.Rows);
    }

    [Fact]
    public async Task A_tampered_package_is_refused()
    {
        var (predictor, holdout) = await TrainAsync("iris", new SdcaLearner());
        using var _ = predictor;
        var target = await WriteAsync(predictor, holdout);
        var features = Path.Combine(target, "features.json");
        await File.WriteAllTextAsync(features, (await File.ReadAllTextAsync(features)).Replace("\"median\": ", "\"median\": 1", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FerryException>(() => ModelFlavors.Builtin.LoadPredictorAsync(target, CancellationToken.None));

        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("features.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flavor_or_learner_is_refused_with_what_is_known()
    {
        var (predictor, holdout) = await TrainAsync("iris", new SdcaLearner());
        using var _ = predictor;
        var target = await WriteAsync(predictor, holdout);
        var manifestPath = Path.Combine(target, ModelPackage.ManifestFile);
        var original = await File.ReadAllTextAsync(manifestPath);

        var json = JsonNode.Parse(original)!;
        json["flavor"] = "sklearn";
        await File.WriteAllTextAsync(manifestPath, json.ToJsonString());
        var flavor = await Assert.ThrowsAsync<FerryException>(() => ModelFlavors.Builtin.LoadPredictorAsync(target, CancellationToken.None));
        Assert.Equal("PACKAGE_INVALID", flavor.Code);
        Assert.Contains("'sklearn'", flavor.Message, StringComparison.Ordinal);
        Assert.Contains("mlnet", flavor.Message, StringComparison.Ordinal);

        json = JsonNode.Parse(original)!;
        json["learner"] = "xgboost";
        await File.WriteAllTextAsync(manifestPath, json.ToJsonString());
        var learner = await Assert.ThrowsAsync<FerryException>(() => ModelFlavors.Builtin.LoadPredictorAsync(target, CancellationToken.None));
        Assert.Contains("'xgboost'", learner.Message, StringComparison.Ordinal);
        Assert.Contains("lightgbm", learner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_labels_follow_the_threshold_and_bad_input_is_named()
    {
        var (predictor, holdout) = await TrainAsync("breast_cancer", new LightGbmLearner());
        using var _ = predictor;
        using var strict = new TabularPredictor(predictor.Learner, predictor.Flavor, predictor.Featurizer, predictor.Model, predictor.Signature, threshold: 0.99);

        var normal = predictor.Predict(holdout.TestRows);
        var cautious = strict.Predict(holdout.TestRows);

        Assert.True(cautious.Labels!.Count(l => l == "malignant") < normal.Labels!.Count(l => l == "malignant"));
        for (var i = 0; i < normal.Count; i++)
        {
            Assert.Equal(normal.Probabilities![i][1] >= 0.5 ? "malignant" : "benign", normal.Labels![i]);
        }

        var without = new Table(holdout.TestRows.Columns.Where(c => c.Name != "mean_radius"));
        var error = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(without, CancellationToken.None));
        Assert.Equal("INPUT_INVALID", error.Code);
        Assert.Contains("mean_radius", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tuning_the_threshold_on_validation_then_packaging_keeps_it()
    {
        var (predictor, holdout) = await TrainAsync("breast_cancer", new SdcaLearner());
        var outputs = predictor.Score(holdout.TestRows);
        var tuned = ThresholdTuner.Tune(holdout.Test.Labels, outputs, MetricKind.BalancedAccuracy);
        using var tunedPredictor = new TabularPredictor(predictor.Learner, predictor.Flavor, predictor.Featurizer, predictor.Model, predictor.Signature, tuned.Threshold);

        var target = await WriteAsync(tunedPredictor, holdout);
        using var loaded = Assert.IsType<TabularPredictor>(await ModelFlavors.Builtin.LoadPredictorAsync(target, CancellationToken.None));

        Assert.Equal(tuned.Threshold, loaded.Threshold);
        var labels = loaded.Predict(holdout.TestRows).Labels!.Select(l => (float)holdout.Schema.Classes.ToList().IndexOf(l)).ToArray();
        Assert.Equal(tuned.Score, Ferry.Learn.Evaluation.ClassificationMetrics.BalancedAccuracy([.. holdout.Test.Labels.Select(l => (int)l)], [.. labels.Select(l => (int)l)], 2), 9);
    }

    [Fact]
    public async Task Concurrent_predictions_match_sequential_ones()
    {
        var (predictor, holdout) = await TrainAsync("wine", new FastTreeLearner());
        using var _ = predictor;
        var expected = predictor.Predict(holdout.TestRows);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => predictor.PredictAsync(holdout.TestRows, CancellationToken.None))));

        Assert.All(results, actual => AssertSamePredictions(expected, actual));
    }
}
