using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Search;

/// <summary>How the leaderboard ranks trials, and successive halving: a trial's first fold is measured against the first folds of the trials before it.</summary>
public sealed class LeaderboardTests
{
    [Fact]
    public void A_hard_first_fold_is_compared_with_other_first_folds_not_with_mean_scores()
    {
        // Fold 1 is the hard one: every trial scores about 0.95 there and 0.99 on average.
        var board = Board(higherIsBetter: true, [0.95, 0.99, 0.99], [0.94, 0.99, 0.99], [0.93, 0.99, 0.99], [0.92, 0.99, 0.99], [0.91, 0.99, 0.99], [0.90, 0.99, 0.99]);

        Assert.True(TrialScheduler.IsPromising(board, 0.96), "better than every first fold so far");
        Assert.True(TrialScheduler.IsPromising(board, 0.93), "as good as the third best first fold");
        Assert.False(TrialScheduler.IsPromising(board, 0.925), "below the top three first folds");
    }

    [Fact]
    public void Pruned_trials_count_towards_the_bar_and_losses_rank_lowest_first()
    {
        var board = Board(higherIsBetter: false, [1.0], [2.0], [3.0], [4.0, 1.0, 1.0], [5.0, 1.0, 1.0]);

        Assert.True(TrialScheduler.IsPromising(board, 3.0));
        Assert.False(TrialScheduler.IsPromising(board, 3.5));
        Assert.False(TrialScheduler.IsPromising(board, double.NaN));
    }

    [Fact]
    public void Every_trial_goes_on_until_four_have_a_first_fold()
    {
        var board = Board(higherIsBetter: true, [0.99, 0.99], [0.98, 0.99], [0.97, 0.99]);

        Assert.True(TrialScheduler.IsPromising(board, 0.1));
    }

    [Fact]
    public void Equal_scores_rank_by_log_loss_then_by_trial_number()
    {
        var board = new Leaderboard(higherIsBetter: true);
        TrialResult Trial(int number, double score, double? logLoss) => new(number, "sdca", new Hyperparameters([]), TrialStatus.Completed, score, [score],
            logLoss is { } loss ? new Dictionary<string, double> { ["log_loss"] = loss } : new Dictionary<string, double>(), 0.1, 1);
        board.Add(Trial(1, 1.0, 0.30));
        board.Add(Trial(2, 1.0, null));
        board.Add(Trial(3, 1.0, 0.10));
        board.Add(Trial(4, 0.9, 0.01));
        board.Add(Trial(5, 1.0, 0.10));

        Assert.Equal([3, 5, 1, 2, 4], board.Ranked().Select(t => t.Number));
    }

    /// <summary>A leaderboard of trials with these fold scores: one fold is a pruned trial, more is a completed one.</summary>
    private static Leaderboard Board(bool higherIsBetter, params double[][] folds)
    {
        var board = new Leaderboard(higherIsBetter);
        for (var i = 0; i < folds.Length; i++)
        {
            var status = folds[i].Length == 1 ? TrialStatus.Pruned : TrialStatus.Completed;
            board.Add(new TrialResult(i + 1, "sdca", new Hyperparameters([]), status, folds[i].Average(), folds[i], new Dictionary<string, double>(), 0.1, 1));
        }

        return board;
    }
}
