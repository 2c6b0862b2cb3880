using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Evaluation;

public sealed class HeldOutScoresTests
{
    private static async Task<(TabularPredictor Predictor, Holdout Holdout)> TrainAsync(string sample, string learner, double threshold)
    {
        var zooLearner = MlNetZoo.Find(learner)!;
        var holdout = await LearnSamples.HoldoutAsync(sample, zooLearner.NeedsScaling);
        var model = await zooLearner.FitAsync(holdout.Train, zooLearner.Portfolio(holdout.Train.Traits())[0], 3, CancellationToken.None);
        return (TabularPredictor.Create(zooLearner, holdout.Featurizer, model, holdout.Schema, threshold), holdout);
    }

    [Theory]
    [InlineData("breast_cancer", "sdca", 0.9)]
    [InlineData("penguins", "lightgbm", 0.5)]
    [InlineData("diabetes", "fasttree", 0.5)]
    public async Task Scores_equal_the_metrics_of_the_model_outputs_with_its_threshold(string sample, string learner, double threshold)
    {
        var (predictor, holdout) = await TrainAsync(sample, learner, threshold);
        using var _ = predictor;

        var scores = await HeldOutScores.ScoreAsync(predictor, holdout.TestRows, CancellationToken.None);

        var expected = MetricEvaluator.ScoreAll(holdout.Schema.Task, holdout.Test.Labels, predictor.Score(holdout.TestRows), threshold);
        Assert.Equal(expected.Keys.Order(), scores.Keys.Order());
        Assert.All(expected, p => Assert.Equal(p.Value, scores[p.Key], 12));
        if (holdout.Schema.Task == TaskKind.Binary)
        {
            // The threshold counts: at 0.9 fewer rows are class 1 than at 0.5, so accuracy differs.
            var atHalf = MetricEvaluator.Score(MetricKind.Accuracy, TaskKind.Binary, holdout.Test.Labels, predictor.Score(holdout.TestRows));
            Assert.NotEqual(atHalf, scores[MetricKind.Accuracy]);
        }
    }

    [Fact]
    public async Task Rows_without_a_label_are_left_out_and_a_missing_label_column_is_refused()
    {
        var (predictor, holdout) = await TrainAsync("iris", "lbfgs", 0.5);
        using var _ = predictor;
        var label = holdout.TestRows[holdout.Schema.Label];
        var blanked = StringColumn.FromValues(label.Name, Enumerable.Range(0, label.Length).Select(r => r % 3 == 0 ? null : label.GetText(r)));
        var withGaps = new Table(holdout.TestRows.Columns.Select(c => c.Name == label.Name ? blanked : c));
        var labelled = Enumerable.Range(0, label.Length).Where(r => r % 3 != 0).ToArray();

        var scores = await HeldOutScores.ScoreAsync(predictor, withGaps, CancellationToken.None);

        var expected = await HeldOutScores.ScoreAsync(predictor, holdout.TestRows.SelectRows(labelled), CancellationToken.None);
        Assert.Equal(expected[MetricKind.Accuracy], scores[MetricKind.Accuracy]);
        var noLabel = new Table(holdout.TestRows.Columns.Where(c => c.Name != label.Name));
        var error = await Assert.ThrowsAsync<FerryException>(() => HeldOutScores.ScoreAsync(predictor, noLabel, CancellationToken.None));
        Assert.Equal("LABEL_COLUMN_MISSING", error.Code);
    }
}
