using Ferry.Data.Schema;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Evaluation;
using FsCheck.Xunit;

namespace Ferry.Learn.Tests.Ensembles;

public sealed class EnsembleSelectionTests
{
    /// <summary>Random labels and candidate outputs for <paramref name="rows"/> rows in 3 folds.</summary>
    private static (float[] Labels, List<int[]> Folds, List<IReadOnlyList<float[]?>> Candidates) Problem(TaskKind task, int rows, int candidates, int seed)
    {
        var random = new Random(seed);
        var classes = task == TaskKind.Multiclass ? 3 : 2;
        // Row r is validated in fold r % 3 and has class (r / 3) % k, so every fold holds every class.
        var labels = Enumerable.Range(0, rows).Select(i => task == TaskKind.Regression ? (float)(random.NextDouble() * 10) : (i / 3) % classes).Select(l => (float)l).ToArray();
        var folds = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, rows).Where(r => r % 3 == f).ToArray()).ToList();
        var outputs = new List<IReadOnlyList<float[]?>>();
        for (var c = 0; c < candidates; c++)
        {
            var noise = random.NextDouble() * 2;
            outputs.Add([.. labels.Select(label =>
            {
                if (task == TaskKind.Regression)
                {
                    return new[] { (float)(label + ((random.NextDouble() - 0.5) * 4 * noise)) };
                }

                var scores = Enumerable.Range(0, classes).Select(k => Math.Exp((k == (int)label ? 1 : 0) + (random.NextDouble() * 2 * noise))).ToArray();
                return scores.Select(s => (float)(s / scores.Sum())).ToArray();
            })]);
        }

        return (labels, folds, outputs);
    }

    [Property(MaxTest = 60)]
    public void The_ensemble_is_never_worse_than_the_candidate_it_starts_from(byte size, byte count, int seed, bool regression, bool multiclass)
    {
        var task = regression ? TaskKind.Regression : multiclass ? TaskKind.Multiclass : TaskKind.Binary;
        var (labels, folds, candidates) = Problem(task, 12 + (size % 60), 1 + (count % 6), seed);
        foreach (var metric in MetricCatalog.All.Where(m => MetricCatalog.Supports(m, task)))
        {
            var selection = new EnsembleSelection(metric, task, labels, folds);
            var alone = folds.Select(f => MetricEvaluator.Score(metric, task, [.. f.Select(r => labels[r])], [.. f.Select(r => candidates[0][r]!)])).Average();

            var choice = selection.Select(candidates);

            Assert.Equal(0, choice.Members[0]);
            Assert.Equal(1.0, choice.Weights.Sum(), 9);
            Assert.True(MetricCatalog.HigherIsBetter(metric) ? choice.Score >= alone : choice.Score <= alone, $"{metric}: ensemble {choice.Score}, best alone {alone}");
        }
    }

    [Fact]
    public void Two_models_wrong_on_different_rows_average_to_a_better_one()
    {
        // Each candidate is confidently wrong on a different third of the rows; averaged, only the honest third is uncertain.
        var labels = Enumerable.Range(0, 90).Select(i => (float)(i % 2)).ToArray();
        float[] Row(int row, bool wrong) => wrong ^ (labels[row] == 1) ? [0.1f, 0.9f] : [0.9f, 0.1f];
        IReadOnlyList<float[]?> a = [.. Enumerable.Range(0, 90).Select(r => Row(r, r % 3 == 0))];
        IReadOnlyList<float[]?> b = [.. Enumerable.Range(0, 90).Select(r => Row(r, r % 3 == 1))];
        var folds = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, 90).Where(r => r / 30 == f).ToArray()).ToList();

        var choice = new EnsembleSelection(MetricKind.LogLoss, TaskKind.Binary, labels, folds).Select([a, b]);

        Assert.Equal([0, 1], choice.Members);
        Assert.Equal([0.5, 0.5], choice.Weights);
        var alone = ClassificationMetrics.LogLoss([.. labels.Select(l => (int)l)], [.. a.Select(r => r!)]);
        Assert.True(choice.Score < alone - 0.1, $"ensemble log loss {choice.Score}, alone {alone}");
    }

    [Fact]
    public void Candidates_the_budget_cannot_refit_are_not_added()
    {
        var (labels, folds, candidates) = Problem(TaskKind.Binary, 60, 4, 9);

        var choice = new EnsembleSelection(MetricKind.LogLoss, TaskKind.Binary, labels, folds).Select(candidates, canAdd: (c, members) => false);

        Assert.Equal([0], choice.Members);
    }

    [Fact]
    public void Cross_validation_scores_each_fold_with_weights_chosen_without_it()
    {
        // Candidate 1 predicts as candidate 0 does, except on fold 2, where it is right and candidate 0 is unsure.
        var labels = Enumerable.Range(0, 60).Select(i => (float)(i % 2)).ToArray();
        var folds = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, 60).Where(r => r / 20 == f).ToArray()).ToList();
        float[] Row(int row, float right) => labels[row] == 1 ? [1 - right, right] : [right, 1 - right];
        IReadOnlyList<float[]?> unsure = [.. Enumerable.Range(0, 60).Select(r => Row(r, 0.6f))];
        IReadOnlyList<float[]?> luckyOnFold2 = [.. Enumerable.Range(0, 60).Select(r => Row(r, r / 20 == 2 ? 0.95f : 0.6f))];
        var selection = new EnsembleSelection(MetricKind.LogLoss, TaskKind.Binary, labels, folds);

        var inSample = selection.Select([unsure, luckyOnFold2]);
        var honest = selection.CrossValidate([unsure, luckyOnFold2]);

        Assert.Contains(1, inSample.Members);
        // Fold 2's rows are scored by a selection on folds 0 and 1, where candidate 1 adds nothing; the other folds'
        // rows by selections that took candidate 1, which there predicts as candidate 0 does.
        Assert.All(Enumerable.Range(0, 60), r => Assert.Equal(unsure[r], honest[r]));
        var alone = selection.FoldScores(unsure);
        Assert.Equal(alone, selection.FoldScores(honest));
        Assert.True(inSample.Score < alone.Average() - 0.05, $"in-sample log loss {inSample.Score}, candidate 0 {alone.Average()}");
    }
}
