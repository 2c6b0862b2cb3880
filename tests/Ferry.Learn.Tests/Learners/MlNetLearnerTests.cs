using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Learners;

public sealed class MlNetLearnerTests
{
    public static TheoryData<string, string> LearnersAndSamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var learner in MlNetZoo.All)
        {
            foreach (var sample in new[] { "breast_cancer", "wine", "diabetes" })
            {
                data.Add(learner.Name, sample);
            }
        }

        data.Add("lightgbm", "penguins");
        data.Add("sdca", "penguins");
        return data;
    }

    [Theory]
    [MemberData(nameof(LearnersAndSamples))]
    public async Task Each_learner_beats_a_trivial_baseline_on_held_out_rows_and_survives_a_save_and_load(string name, string sample)
    {
        var learner = MlNetZoo.Find(name)!;
        var holdout = await LearnSamples.HoldoutAsync(sample, learner.NeedsScaling);
        Assert.True(learner.Supports(holdout.Schema.Task));
        var configuration = learner.Portfolio(holdout.Train.Traits())[0];

        using var model = await learner.FitAsync(holdout.Train, configuration, seed: 1, CancellationToken.None);
        var outputs = model.Predict(holdout.Test.Features);

        var task = holdout.Schema.Task;
        if (task == TaskKind.Regression)
        {
            // Predicting the training mean scores about 0.
            var r2 = MetricEvaluator.Score(MetricKind.R2, task, holdout.Test.Labels, outputs);
            Assert.True(r2 >= 0.25, $"{name} on {sample}: R² {r2:F3}");
        }
        else
        {
            var majority = holdout.Train.Labels.GroupBy(l => l).MaxBy(g => g.Count())!.Key;
            var baseline = holdout.Test.Labels.Count(l => l == majority) / (double)holdout.Test.Labels.Length;
            var accuracy = MetricEvaluator.Score(MetricKind.Accuracy, task, holdout.Test.Labels, outputs);
            Assert.True(accuracy >= baseline + 0.25, $"{name} on {sample}: accuracy {accuracy:F3}, majority baseline {baseline:F3}");
            Assert.All(outputs, row => Assert.Equal(1, row.Sum(), 4));
            Assert.All(outputs, row => Assert.Equal(holdout.Schema.Classes.Count, row.Length));
        }

        var folder = Directory.CreateTempSubdirectory("ferry-mlnet-");
        try
        {
            await model.SaveAsync(folder.FullName, CancellationToken.None);
            using var loaded = await learner.LoadAsync(folder.FullName, CancellationToken.None);

            Assert.Equal(outputs, loaded.Predict(holdout.Test.Features));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task LightGbm_ranks_breast_cancer_well()
    {
        var holdout = await LearnSamples.HoldoutAsync("breast_cancer", scale: false);
        var learner = new LightGbmLearner();

        using var model = await learner.FitAsync(holdout.Train, learner.Portfolio(holdout.Train.Traits())[0], seed: 42, CancellationToken.None);

        var auc = MetricEvaluator.Score(MetricKind.RocAuc, TaskKind.Binary, holdout.Test.Labels, model.Predict(holdout.Test.Features));
        Assert.True(auc >= 0.97, $"ROC-AUC {auc:F4}");
    }

    [Fact]
    public async Task Sdca_classifies_iris()
    {
        var holdout = await LearnSamples.HoldoutAsync("iris", scale: true);
        var learner = new SdcaLearner();

        using var model = await learner.FitAsync(holdout.Train, learner.Portfolio(holdout.Train.Traits())[0], seed: 42, CancellationToken.None);

        var accuracy = MetricEvaluator.Score(MetricKind.Accuracy, TaskKind.Multiclass, holdout.Test.Labels, model.Predict(holdout.Test.Features));
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:F4}");
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("sdca")]
    [InlineData("fastforest")]
    public async Task The_same_seed_gives_the_same_model(string name)
    {
        var learner = MlNetZoo.Find(name)!;
        var holdout = await LearnSamples.HoldoutAsync("wine", learner.NeedsScaling);
        var configuration = learner.Portfolio(holdout.Train.Traits())[0];

        using var first = await learner.FitAsync(holdout.Train, configuration, seed: 5, CancellationToken.None);
        using var second = await learner.FitAsync(holdout.Train, configuration, seed: 5, CancellationToken.None);

        Assert.Equal(first.Predict(holdout.Test.Features), second.Predict(holdout.Test.Features));
    }

    [Theory]
    [InlineData("lightgbm", 0.02)]
    [InlineData("sdca", 0.02)]
    [InlineData("fastforest", 0.005)] // a forest fits the training rows almost perfectly, so weights move it less
    public async Task Class_weights_reach_the_trainer(string name, double margin)
    {
        // Keep every benign row but only 30 malignant ones: malignant becomes a 12% minority.
        var learner = MlNetZoo.Find(name)!;
        var holdout = await LearnSamples.HoldoutAsync("breast_cancer", learner.NeedsScaling);
        var malignant = holdout.Schema.Classes.ToList().IndexOf("malignant");
        var rows = Enumerable.Range(0, holdout.Train.Labels.Length).Where(r => holdout.Train.Labels[r] != malignant).ToList();
        rows.AddRange(Enumerable.Range(0, holdout.Train.Labels.Length).Where(r => holdout.Train.Labels[r] == malignant).Take(30));
        var imbalanced = holdout.Train.SelectRows([.. rows]);
        Assert.True(imbalanced.Traits().IsImbalanced);
        var configuration = learner.Portfolio(imbalanced.Traits())[0];

        using var plain = await learner.FitAsync(imbalanced, configuration, seed: 1, CancellationToken.None);
        using var weighted = await learner.FitAsync(imbalanced.WithBalancedWeights(), configuration, seed: 1, CancellationToken.None);

        double MeanMalignant(IFittedModel model) => model.Predict(holdout.Test.Features).Average(p => p[malignant]);
        Assert.True(MeanMalignant(weighted) > MeanMalignant(plain) + margin, $"{MeanMalignant(weighted):F3} vs {MeanMalignant(plain):F3}");
    }

    [Fact]
    public async Task Poisson_regression_refuses_negative_targets_and_leaves_itself_out_of_the_portfolio()
    {
        var holdout = await LearnSamples.HoldoutAsync("diabetes", scale: true);
        var shifted = holdout.Train with { Labels = [.. holdout.Train.Labels.Select(l => l - 200)] };
        var learner = new LbfgsLearner();

        Assert.Empty(learner.Portfolio(shifted.Traits()));
        Assert.NotEmpty(learner.Portfolio(holdout.Train.Traits()));
        var error = await Assert.ThrowsAsync<FerryException>(() => learner.FitAsync(shifted, Hyperparameters.Empty, 1, CancellationToken.None));
        Assert.Equal("LEARNER_DATA", error.Code);
        Assert.Contains("non-negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_fit_stops()
    {
        var holdout = await LearnSamples.HoldoutAsync("digits", scale: false);
        var learner = new LightGbmLearner();
        using var cancel = new CancellationTokenSource();
        var long_ = Hyperparameters.Empty.With("iterations", 20_000).With("num_leaves", 64).With("min_leaf", 2);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var fit = learner.FitAsync(holdout.Train, long_, 1, cancel.Token);
        await Task.Delay(300);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fit);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public void Every_learner_has_a_search_space_and_a_portfolio_within_it()
    {
        foreach (var learner in MlNetZoo.All)
        {
            Assert.Equal("mlnet", learner.Flavor);
            Assert.NotEmpty(learner.Space);
            foreach (var traits in new[] { new DataTraits(TaskKind.Binary, 300, 10, 2, 0.4), new DataTraits(TaskKind.Multiclass, 50_000, 10, 5, 0.05) })
            {
                var portfolio = learner.Portfolio(traits);
                Assert.InRange(portfolio.Count, 2, 4);
                foreach (var configuration in portfolio)
                {
                    foreach (var (key, _) in configuration.Values)
                    {
                        var range = Assert.Single(learner.Space, r => r.Name == key);
                        Assert.InRange(configuration.Number(key, double.NaN), range.Min, range.Max);
                    }
                }
            }
        }
    }
}
