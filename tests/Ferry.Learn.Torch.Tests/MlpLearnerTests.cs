using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Tests;

public sealed class MlpLearnerTests
{
    private static readonly MlpLearner Learner = new();

    private static async Task<(TrainingSet Train, TrainingSet Test)> BreastCancerAsync()
    {
        var all = await TorchTestData.TrainingSetAsync("breast_cancer.csv", "label", TaskKind.Binary);
        var (train, test) = TorchTestData.Split(all.Labels, 0.25, seed: 7);
        return (all.SelectRows(train), all.SelectRows(test));
    }

    private static Hyperparameters FirstPortfolioEntry(TrainingSet train) =>
        Learner.Portfolio(new DataTraits(train.Task, train.Features.Rows, train.Features.Columns, train.Classes.Count, 0.37))[0];

    [Fact]
    public async Task Breast_cancer_reaches_a_held_out_roc_auc_of_at_least_0_97()
    {
        var (train, test) = await BreastCancerAsync();
        using var model = await Learner.FitMlpAsync(train, FirstPortfolioEntry(train), seed: 1, CancellationToken.None);
        var probabilities = model.Predict(test.Features);
        var malignant = train.Classes.ToList().IndexOf("malignant");
        var auc = TorchTestMetrics.RocAuc([.. probabilities.Select(p => p[malignant])], [.. test.Labels.Select(l => (int)l == malignant)]);
        Assert.True(auc >= 0.97, $"ROC-AUC {auc:F4} after {model.Report}");
        Assert.All(probabilities, p => Assert.Equal(1, p.Sum(), 4));
        Assert.NotNull(model.Report!.ValidationLoss);
        Assert.True(model.Report.ValidationRows > 0);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_model_and_another_seed_a_different_one()
    {
        var (train, test) = await BreastCancerAsync();
        var configuration = FirstPortfolioEntry(train).With("epochs", 15);
        using var first = await Learner.FitMlpAsync(train, configuration, seed: 3, CancellationToken.None);
        using var second = await Learner.FitMlpAsync(train, configuration, seed: 3, CancellationToken.None);
        using var other = await Learner.FitMlpAsync(train, configuration, seed: 4, CancellationToken.None);
        Assert.Equal(first.Predict(test.Features), second.Predict(test.Features));
        Assert.NotEqual(first.Predict(test.Features), other.Predict(test.Features));
    }

    [Fact]
    public async Task Fits_running_in_parallel_stay_repeatable_because_they_never_draw_from_the_global_generator()
    {
        var (train, test) = await BreastCancerAsync();
        var configuration = FirstPortfolioEntry(train).With("epochs", 10);
        TorchSharp.torch.manual_seed(1);
        using var alone = await Learner.FitMlpAsync(train, configuration, seed: 8, CancellationToken.None);
        TorchSharp.torch.manual_seed(2);
        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Learner.FitMlpAsync(train, configuration, seed: 8, CancellationToken.None)));
        try
        {
            Assert.All(together, model => Assert.Equal(alone.Predict(test.Features), model.Predict(test.Features)));
        }
        finally
        {
            foreach (var model in together)
            {
                model.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_saved_and_loaded_model_predicts_exactly_the_same()
    {
        var (train, test) = await BreastCancerAsync();
        using var model = await Learner.FitAsync(train, FirstPortfolioEntry(train).With("epochs", 5), seed: 1, CancellationToken.None);
        var folder = Directory.CreateTempSubdirectory("ferry-mlp-");
        try
        {
            await model.SaveAsync(folder.FullName, CancellationToken.None);
            using var loaded = await Learner.LoadAsync(folder.FullName, CancellationToken.None);
            Assert.Equal(model.Predict(test.Features), loaded.Predict(test.Features));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Regression_on_diabetes_learns_the_target_in_its_own_units()
    {
        var all = await TorchTestData.TrainingSetAsync("diabetes.csv", "target", TaskKind.Regression);
        var (trainRows, testRows) = TorchTestData.Split([.. all.Labels.Select(_ => 0f)], 0.25, seed: 5);
        var (train, test) = (all.SelectRows(trainRows), all.SelectRows(testRows));
        var configuration = Learner.Portfolio(new DataTraits(TaskKind.Regression, train.Features.Rows, 10, 0, 1))[0];
        using var model = await Learner.FitMlpAsync(train, configuration, seed: 1, CancellationToken.None);
        var predictions = model.Predict(test.Features);
        var r2 = TorchTestMetrics.RSquared(predictions, test.Labels);
        Assert.True(r2 >= 0.35, $"R² {r2:F3} after {model.Report}");
        Assert.All(predictions, p => Assert.Single(p));
    }

    [Fact]
    public async Task Cancellation_stops_a_long_fit_between_batches()
    {
        var (train, _) = await BreastCancerAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = System.Diagnostics.Stopwatch.StartNew();
        cancel.Token.Register(cancelled.Restart);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        // 10,000 epochs would take minutes: a search's trial must end at its deadline, not run on in the background.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Learner.FitAsync(train, FirstPortfolioEntry(train).With("epochs", 10_000).With("patience", 10_000), seed: 1, cancel.Token));
        Assert.True(cancel.IsCancellationRequested && cancelled.Elapsed < TimeSpan.FromSeconds(5), $"stopped {cancelled.Elapsed.TotalSeconds:F2} s after the cancellation");
    }

    [Fact]
    public async Task Unlearnable_input_is_refused_with_a_code()
    {
        var (train, _) = await BreastCancerAsync();
        var values = (float[])train.Features.Values.Clone();
        values[5] = float.NaN;
        var withNaN = train with { Features = new FeatureMatrix(values, train.Features.Names) };
        var oneClass = train with { Classes = ["benign"], Labels = new float[train.Labels.Length] };

        Assert.Equal("FEATURES_NOT_FINITE", (await Assert.ThrowsAsync<FerryException>(() => Learner.FitAsync(withNaN, Hyperparameters.Empty, 1, CancellationToken.None))).Code);
        Assert.Equal("LABEL_ONE_CLASS", (await Assert.ThrowsAsync<FerryException>(() => Learner.FitAsync(oneClass, Hyperparameters.Empty, 1, CancellationToken.None))).Code);
        var badLoss = await Assert.ThrowsAsync<FerryException>(() => Learner.FitAsync(train, Hyperparameters.Empty.With("loss", "hinge"), 1, CancellationToken.None));
        Assert.Equal("HYPERPARAMETER_INVALID", badLoss.Code);
        Assert.Contains("loss", badLoss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_portfolio_regularises_small_data_more_and_uses_focal_loss_for_imbalance()
    {
        var small = Learner.Portfolio(new DataTraits(TaskKind.Binary, 500, 20, 2, 0.4));
        var large = Learner.Portfolio(new DataTraits(TaskKind.Binary, 50_000, 20, 2, 0.4));
        var imbalanced = Learner.Portfolio(new DataTraits(TaskKind.Binary, 50_000, 20, 2, 0.05));
        var regression = Learner.Portfolio(new DataTraits(TaskKind.Regression, 50_000, 20, 0, 1));
        var tenEqualClasses = Learner.Portfolio(new DataTraits(TaskKind.Multiclass, 50_000, 20, 10, 0.1));
        var tenClassesOneRare = Learner.Portfolio(new DataTraits(TaskKind.Multiclass, 50_000, 20, 10, 0.02));

        Assert.True(small.Min(h => h.Number("weight_decay", 0)) > large.Max(h => h.Number("weight_decay", 0)));
        Assert.True(small.Max(h => h.Number("width", 0) * h.Number("layers", 0)) < large.Max(h => h.Number("width", 0) * h.Number("layers", 0)));
        Assert.All(large, h => Assert.Equal("ce", h.Choice("loss", "")));
        Assert.All(imbalanced, h => Assert.Equal("focal", h.Choice("loss", "")));
        Assert.All(regression, h => Assert.False(h.Values.ContainsKey("loss")));
        Assert.All(tenEqualClasses, h => Assert.Equal("ce", h.Choice("loss", "")));
        Assert.All(tenClassesOneRare, h => Assert.Equal("focal", h.Choice("loss", "")));
        var names = Learner.Space.Select(r => r.Name).ToHashSet();
        Assert.All(small.Concat(large), h => Assert.All(h.Values.Keys, k => Assert.True(names.Contains(k) || k is "epochs" or "patience", k)));
    }

    [Fact]
    public void The_portfolio_defaults_say_what_the_portfolio_chose_and_why()
    {
        var smallImbalanced = new DataTraits(TaskKind.Binary, 500, 20, 2, 0.05);
        var largeBalanced = new DataTraits(TaskKind.Multiclass, 50_000, 20, 3, 0.3);
        var regression = new DataTraits(TaskKind.Regression, 500, 20, 0, 1);

        var small = Learner.PortfolioDefaults(smallImbalanced).ToDictionary(d => d.Setting);
        var large = Learner.PortfolioDefaults(largeBalanced).ToDictionary(d => d.Setting);

        Assert.Equal("focal", small["loss"].Value);
        Assert.All(Learner.Portfolio(smallImbalanced), h => Assert.Equal("focal", h.Choice("loss", "")));
        Assert.Contains("5%", small["loss"].Reason, StringComparison.Ordinal);
        Assert.Contains("small data", small["regularisation"].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("small data", large["regularisation"].Reason, StringComparison.Ordinal);
        Assert.StartsWith($"patience {Learner.Portfolio(smallImbalanced)[0].Choice("patience", "")},", small["early_stopping"].Value, StringComparison.Ordinal);
        Assert.StartsWith($"patience {Learner.Portfolio(largeBalanced)[0].Choice("patience", "")},", large["early_stopping"].Value, StringComparison.Ordinal);
        Assert.False(large.ContainsKey("loss"));
        Assert.DoesNotContain(Learner.PortfolioDefaults(regression), d => d.Setting == "loss");
        // The stated weight decay is the portfolio's weakest and strongest.
        var decays = Learner.Portfolio(smallImbalanced).Select(h => h.Number("weight_decay", 0)).ToList();
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"weight_decay {decays.Min()}-{decays.Max()},"), small["regularisation"].Value, StringComparison.Ordinal);
    }
}
