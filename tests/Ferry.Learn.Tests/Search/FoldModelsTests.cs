using Ferry.Data.Schema;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Learners.Linear;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Search;

public sealed class FoldModelsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-foldmodels-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static TrialResult Trial(int number, double score, TrialStatus status = TrialStatus.Completed) =>
        new(number, "ridge", new Hyperparameters([]), status, score, [score], new Dictionary<string, double>(), 1, 1);

    private static IFittedModel[] Models() => [new RidgeModel([1], 0), new RidgeModel([2], 0)];

    [Fact]
    public void Only_the_best_ranked_trial_with_models_and_trials_not_ranked_yet_keep_theirs()
    {
        using var kept = new FoldModels();
        kept.Offer(1, Models());
        kept.Offer(2, Models());
        kept.Offer(3, Models());

        // Trial 3 is still in flight; the ensemble (9) has no models of its own; trial 4 was cancelled.
        kept.Prune([Trial(9, 0.99), Trial(2, 0.95), Trial(1, 0.90)]);
        Assert.False(kept.Has(1));
        Assert.True(kept.Has(2));
        Assert.True(kept.Has(3));

        kept.Offer(4, Models());
        kept.Prune([Trial(9, 0.99), Trial(3, 0.97), Trial(2, 0.95), Trial(1, 0.90), Trial(4, double.NaN, TrialStatus.Cancelled)]);
        Assert.Equal([false, false, true, false], new[] { 1, 2, 3, 4 }.Select(kept.Has));

        var taken = kept.Take(3);
        Assert.Equal(2, taken!.Length);
        Assert.False(kept.Has(3));
        Assert.Null(kept.Take(3));

        // A trial finishing after the search ended is not kept by a store that is gone.
        kept.Dispose();
        kept.Offer(5, Models());
        Assert.False(kept.Has(5));
    }

    [Theory]
    [InlineData("breast_cancer", "label")]
    [InlineData("diabetes", "target")]
    public async Task A_winners_fold_models_ship_averaged_without_a_refit_and_load_back_the_same(string sample, string label)
    {
        var settings = new SearchSettings { DataPath = Path.Combine(LearnSamples.Folder, sample + ".csv"), Label = label, Seed = 3 };
        var prepared = await SearchPreparation.PrepareAsync(settings, CancellationToken.None);
        var learner = new SdcaLearner();
        var metric = prepared.Analysis.Schema.Task == TaskKind.Regression ? MetricKind.R2 : MetricKind.RocAuc;
        var request = new TrialRequest(5, learner, learner.Portfolio(prepared.Traits)[0], _ => true);
        var (result, outOfFold, models) = await new TrialRunner(prepared.Data, metric, TimeProvider.System, 3).RunAsync(request, CancellationToken.None);
        Assert.Equal(prepared.Data.Folds.Count, models!.Length);
        var testFeatures = TrainingSets.Create(prepared.TestRows, prepared.Analysis.Schema, prepared.Featurizer.WithScaling(true)).Features;
        var expected = Enumerable.Range(0, testFeatures.Rows)
            .Select(r => models.Select(m => m.Predict(testFeatures)[r]).Aggregate(new double[models[0].Predict(testFeatures)[0].Length], (sum, row) => [.. sum.Zip(row, (a, b) => a + b)]))
            .Select(sums => sums.Select(s => s / models.Length).ToArray())
            .ToList();

        using var final = await FinalModel.FitAsync(result, null, outOfFold, [learner], prepared, metric, 3, 1, models);
        var outputs = await final.ScoreAsync(prepared.TestRows, CancellationToken.None);

        var ensemble = Assert.IsType<EnsemblePredictor>(final.Predictor);
        Assert.Equal(models.Length, ensemble.Members.Count);
        Assert.All(ensemble.Members, m => Assert.Equal((learner.Name, 1.0 / models.Length, (int?)5), (m.Learner, m.Weight, m.Trial)));
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Length, outputs[r].Length);
            Assert.All(expected[r].Zip(outputs[r]), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-6 * Math.Max(1, Math.Abs(pair.First)), $"row {r}: {pair.First} vs {pair.Second}"));
        }

        var folder = Path.Combine(_folder.FullName, sample);
        await final.WriteAsync(folder, new TrainingInfo(DateTimeOffset.UnixEpoch, "0.1.0", null, "x", 3, MlNetContext.Libraries), ReferenceProfileBuilder.Build(prepared.SearchRows, final.Predictor.Signature, await final.Predictor.PredictAsync(prepared.SearchRows, CancellationToken.None), "search"), CancellationToken.None);
        using var loaded = Assert.IsType<EnsemblePredictor>(await ModelFlavors.Builtin.LoadPredictorAsync(folder, CancellationToken.None));
        Assert.Equal(outputs, await loaded.ScoreAsync(prepared.TestRows, CancellationToken.None));
    }
}
