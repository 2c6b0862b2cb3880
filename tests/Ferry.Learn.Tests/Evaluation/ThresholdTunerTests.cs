using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Evaluation;

public sealed class ThresholdTunerTests
{
    private static float[][] Outputs(params float[] p1) => [.. p1.Select(p => new[] { 1 - p, p })];

    [Fact]
    public void A_threshold_between_the_classes_separates_them()
    {
        // Every positive scores above every negative, but all below 0.5: the default threshold calls them all negative.
        float[] labels = [0, 0, 0, 1, 1];
        var outputs = Outputs(0.05f, 0.1f, 0.2f, 0.3f, 0.4f);

        var tuned = ThresholdTuner.Tune(labels, outputs, MetricKind.F1);

        Assert.Equal(0.25, tuned.Threshold, 6);
        Assert.Equal(1, tuned.Score);
        Assert.Equal(0, MetricEvaluator.Score(MetricKind.F1, TaskKind.Binary, labels, outputs));
        Assert.Equal(1, MetricEvaluator.Score(MetricKind.F1, TaskKind.Binary, labels, outputs, tuned.Threshold));
    }

    [Theory]
    [InlineData(MetricKind.Accuracy)]
    [InlineData(MetricKind.BalancedAccuracy)]
    [InlineData(MetricKind.MacroF1)]
    [InlineData(MetricKind.F1)]
    public void The_tuned_score_is_what_the_evaluator_gives_at_that_threshold_and_no_cut_beats_it(MetricKind metric)
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 200).Select(_ => random.NextDouble() < 0.2 ? 1f : 0f).ToArray();
        var outputs = Outputs([.. labels.Select(l => (float)Math.Round(Math.Clamp(l * 0.3 + random.NextDouble() * 0.7, 0, 1), 2))]);

        var tuned = ThresholdTuner.Tune(labels, outputs, metric);

        Assert.Equal(tuned.Score, MetricEvaluator.Score(metric, TaskKind.Binary, labels, outputs, tuned.Threshold), 9);
        for (var t = 0.0; t <= 1.0; t += 0.01)
        {
            Assert.True(MetricEvaluator.Score(metric, TaskKind.Binary, labels, outputs, t) <= tuned.Score + 1e-9);
        }
    }

    [Fact]
    public void Ranking_metrics_tune_for_a_label_metric_instead()
    {
        Assert.Equal(MetricKind.MacroF1, ThresholdTuner.MetricFor(MetricKind.PrAuc, new DataTraits(TaskKind.Binary, 100, 3, 2, 0.1)));
        Assert.Equal(MetricKind.Accuracy, ThresholdTuner.MetricFor(MetricKind.RocAuc, new DataTraits(TaskKind.Binary, 100, 3, 2, 0.4)));
        Assert.Equal(MetricKind.BalancedAccuracy, ThresholdTuner.MetricFor(MetricKind.BalancedAccuracy, new DataTraits(TaskKind.Binary, 100, 3, 2, 0.4)));
        Assert.Throws<ArgumentException>(() => ThresholdTuner.Tune([0, 1], Outputs(0.2f, 0.8f), MetricKind.RocAuc));
    }
}
