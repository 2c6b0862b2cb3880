using Ferry.Data.Schema;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Search;

public sealed class RefitChoiceTests
{
    // 100 search rows in one 80/20 holdout: a refit on every row takes 1.25 times a fold's fit.
    private static readonly SearchData Holdout = new(
        new TrainingSet(new FeatureMatrix(new float[100], ["x"]), new float[100], null, TaskKind.Regression, []),
        new FeatureMatrix(new float[100], ["x"]),
        [([.. Enumerable.Range(0, 80)], [.. Enumerable.Range(80, 20)])]);

    private static TrialResult Trial(int number, string learner, double score, double fitSeconds, TrialStatus status = TrialStatus.Completed) =>
        new(number, learner, new Hyperparameters([]), status, score, [score], new Dictionary<string, double>(), fitSeconds, 1);

    [Fact]
    public void The_best_trial_is_refit_when_its_refit_fits_in_the_time_left()
    {
        var ranked = new[] { Trial(7, "fasttree", 0.98, 7.9), Trial(3, "lightgbm", 0.97, 1) };

        var (trial, foldModels, reason) = RefitChoice.Pick(ranked, Holdout, TimeSpan.FromSeconds(10), _ => true);

        Assert.Equal(7, trial.Number);
        Assert.False(foldModels);
        Assert.Null(reason);
    }

    [Fact]
    public void A_best_trial_too_slow_to_refit_gives_way_to_the_best_ranked_one_that_fits_and_says_why()
    {
        var ranked = new[] { Trial(7, "fasttree", 0.98, 16), Trial(9, "fasttree", 0.975, 8.5), Trial(4, "mlp", 0.97, 9, TrialStatus.Pruned), Trial(3, "lightgbm", 0.96, 2) };

        var (trial, foldModels, reason) = RefitChoice.Pick(ranked, Holdout, TimeSpan.FromSeconds(10), _ => false);

        Assert.Equal(3, trial.Number);
        Assert.False(foldModels);
        Assert.NotNull(reason);
        Assert.Equal("refit", reason.Setting);
        Assert.Contains("trial 7 (fasttree, validation 0.98) on every row would take about 20 s, more than the 10 s left", reason.Reason, StringComparison.Ordinal);
        Assert.Contains("trial 3 (lightgbm, validation 0.96) refits in about 2.5 s", reason.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_no_trial_fits_the_quickest_to_refit_is_taken()
    {
        var ranked = new[] { Trial(1, "fasttree", 0.98, 30), Trial(2, "lightgbm", 0.97, 12), Trial(3, "mlp", 0.96, 20) };

        Assert.Equal(2, RefitChoice.Pick(ranked, Holdout, TimeSpan.FromSeconds(5), _ => false).Trial.Number);
    }

    [Fact]
    public void A_best_trial_too_slow_to_refit_ships_its_own_fold_models_when_they_were_kept()
    {
        var ranked = new[] { Trial(7, "fasttree", 0.98, 16), Trial(3, "lightgbm", 0.96, 2) };

        var (trial, foldModels, reason) = RefitChoice.Pick(ranked, Holdout, TimeSpan.FromSeconds(10), number => number == 7);

        Assert.Equal(7, trial.Number);
        Assert.True(foldModels);
        Assert.Equal(("refit", "none"), (reason!.Setting, reason.Value));
        Assert.Contains("about 20 s, more than the 10 s left", reason.Reason, StringComparison.Ordinal);
        Assert.Contains("its model fitted on the holdout's 80 training rows ships as it is", reason.Reason, StringComparison.Ordinal);
    }
}
