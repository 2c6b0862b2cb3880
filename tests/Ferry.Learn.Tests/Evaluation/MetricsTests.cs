using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Evaluation;

/// <summary>
/// Expected values marked "scikit-learn" were computed with Debian's python3-sklearn 1.2.1 (/usr/bin/python3) on the
/// same arrays (probabilities as float32, cast to float64), e.g. for the binary case:
/// <c>metrics.roc_auc_score(y, p1)</c>, <c>metrics.average_precision_score(y, p1)</c>, <c>metrics.log_loss(y, np.stack([1-p1, p1], 1))</c>,
/// <c>metrics.f1_score(y, p1 &gt;= 0.5, average='macro')</c>; multiclass <c>roc_auc_score(y, P, multi_class='ovr', average='macro')</c>;
/// regression <c>r2_score</c>, <c>sqrt(mean_squared_error)</c>, <c>mean_absolute_error</c>.
/// </summary>
public sealed class MetricsTests
{
    private static readonly float[] BinaryLabels = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0];
    private static readonly float[] BinaryP1 = [0.1f, 0.4f, 0.35f, 0.8f, 0.2f, 0.9f, 0.5f, 0.7f, 0.3f, 0.05f, 0.5f, 0.5f];

    private static readonly float[] MultiLabels = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1, 1, 2];

    private static readonly float[][] MultiProbabilities =
    [
        [0.7f, 0.2f, 0.1f], [0.2f, 0.5f, 0.3f], [0.1f, 0.3f, 0.6f], [0.3f, 0.4f, 0.3f], [0.1f, 0.8f, 0.1f], [0.4f, 0.4f, 0.2f],
        [0.5f, 0.3f, 0.2f], [0.2f, 0.2f, 0.6f], [0.6f, 0.3f, 0.1f], [0.25f, 0.35f, 0.4f], [0.1f, 0.6f, 0.3f], [0.05f, 0.15f, 0.8f],
    ];

    private static float[][] BinaryOutputs => [.. BinaryP1.Select(p => new[] { 1 - p, p })];

    [Theory]
    [InlineData(MetricKind.Accuracy, 0.6666666666666666)]
    [InlineData(MetricKind.BalancedAccuracy, 0.6666666666666666)]
    [InlineData(MetricKind.F1, 0.6666666666666666)]
    [InlineData(MetricKind.MacroF1, 0.6666666666666666)]
    [InlineData(MetricKind.LogLoss, 0.4924198698524344)]
    [InlineData(MetricKind.RocAuc, 0.8055555555555556)]
    [InlineData(MetricKind.PrAuc, 0.8263888888888888)]
    public void Binary_metrics_match_scikit_learn(MetricKind metric, double expected)
    {
        Assert.Equal(expected, MetricEvaluator.Score(metric, TaskKind.Binary, BinaryLabels, BinaryOutputs), 6);
    }

    [Theory]
    [InlineData(MetricKind.Accuracy, 0.75)]
    [InlineData(MetricKind.BalancedAccuracy, 0.7833333333333333)]
    [InlineData(MetricKind.MacroF1, 0.7579365079365079)]
    [InlineData(MetricKind.LogLoss, 0.6594558483581141)]
    [InlineData(MetricKind.RocAuc, 0.9192019400352733)]
    public void Multiclass_metrics_match_scikit_learn(MetricKind metric, double expected)
    {
        Assert.Equal(expected, MetricEvaluator.Score(metric, TaskKind.Multiclass, MultiLabels, MultiProbabilities), 6);
    }

    [Fact]
    public void Regression_metrics_match_scikit_learn()
    {
        float[] actual = [3.0f, -0.5f, 2.0f, 7.0f, 4.2f, 1.1f, 0.0f, 5.5f];
        float[][] predicted = [[2.5f], [0.0f], [2.0f], [8.0f], [3.9f], [1.5f], [-0.3f], [4.0f]];

        Assert.Equal(0.916850905949023, MetricEvaluator.Score(MetricKind.R2, TaskKind.Regression, actual, predicted), 5);
        Assert.Equal(0.7150174823037546, MetricEvaluator.Score(MetricKind.Rmse, TaskKind.Regression, actual, predicted), 5);
        Assert.Equal(0.5625, MetricEvaluator.Score(MetricKind.Mae, TaskKind.Regression, actual, predicted), 5);
    }

    [Fact]
    public void Hand_computed_values()
    {
        // Labels 0,0,1,1 predicted 0,1,1,1: class 0 recall 1/2, class 1 recall 1; F1(0) = 2/3, F1(1) = 4/5.
        int[] actual = [0, 0, 1, 1];
        int[] predicted = [0, 1, 1, 1];
        Assert.Equal(0.75, ClassificationMetrics.Accuracy(actual, predicted));
        Assert.Equal(0.75, ClassificationMetrics.BalancedAccuracy(actual, predicted, 2));
        Assert.Equal((2.0 / 3 + 0.8) / 2, ClassificationMetrics.MacroF1(actual, predicted, 2), 12);

        // Scores: positives 0.9, 0.4; negatives 0.4, 0.1. Pairs: 0.9 beats both, 0.4 ties one and beats one: (2 + 1.5) / 4.
        Assert.Equal(0.875, RankingMetrics.RocAuc([true, true, false, false], [0.9, 0.4, 0.4, 0.1]), 12);
        // Thresholds 0.9 (P=1, R=1/2) then 0.4 (P=2/3, R=1): AP = 1/2 * 1 + 1/2 * 2/3.
        Assert.Equal(0.5 + 1.0 / 3, RankingMetrics.AveragePrecision([true, true, false, false], [0.9, 0.4, 0.4, 0.1]), 12);

        // R² of a constant target is 1 only for a perfect fit.
        Assert.Equal(1, RegressionMetrics.R2([2.0, 2.0], [2.0, 2.0]));
        Assert.Equal(0, RegressionMetrics.R2([2.0, 2.0], [2.0, 3.0]));

        // A confident mistake costs -log(1e-15), not infinity.
        Assert.Equal(-Math.Log(1e-15), ClassificationMetrics.LogLoss([0], [[0f, 1f]]), 6);
    }

    [Fact]
    public void Pr_auc_is_about_the_rarer_class()
    {
        // Class 0 is rarer here, so PR-AUC ranks rows by class 0's probability (scikit-learn: average_precision_score(1 - y, 1 - p1) = 0.45).
        float[] labels = [1, 1, 1, 0, 1, 1, 0, 1];
        float[] p1 = [0.9f, 0.8f, 0.4f, 0.3f, 0.7f, 0.6f, 0.65f, 0.2f];

        var score = MetricEvaluator.Score(MetricKind.PrAuc, TaskKind.Binary, labels, [.. p1.Select(p => new[] { 1 - p, p })]);

        Assert.Equal(0.45, score, 6);
    }

    [Fact]
    public void Undefined_ranking_metrics_are_nan_not_a_crash()
    {
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([true, true], [0.3, 0.4])));
        Assert.True(double.IsNaN(RankingMetrics.AveragePrecision([false, false], [0.3, 0.4])));
        Assert.Equal(0.5, RankingMetrics.RocAuc([true, false, true, false], [double.NaN, double.NaN, 0.5, 0.5]));
    }

    [Fact]
    public void The_catalog_knows_names_directions_tasks_and_defaults()
    {
        Assert.Equal(MetricKind.RocAuc, MetricCatalog.Parse("ROC-AUC"));
        Assert.All(MetricCatalog.All, m => Assert.Equal(m, MetricCatalog.Parse(MetricCatalog.NameOf(m))));
        Assert.False(MetricCatalog.HigherIsBetter(MetricKind.LogLoss));
        Assert.True(MetricCatalog.HigherIsBetter(MetricKind.PrAuc));
        Assert.Equal("METRIC_UNKNOWN", Assert.Throws<FerryException>(() => MetricCatalog.Parse("precision@k")).Code);
        var wrongTask = Assert.Throws<FerryException>(() => MetricCatalog.Check(MetricKind.R2, TaskKind.Binary));
        Assert.Contains("roc_auc", wrongTask.Message, StringComparison.Ordinal);
        Assert.All(MetricCatalog.ReportedFor(TaskKind.Multiclass), m => Assert.True(MetricCatalog.Supports(m, TaskKind.Multiclass)));

        Assert.Equal(MetricKind.PrAuc, MetricCatalog.DefaultFor(new DataTraits(TaskKind.Binary, 5000, 10, 2, 0.05)).Metric);
        Assert.Equal(MetricKind.RocAuc, MetricCatalog.DefaultFor(new DataTraits(TaskKind.Binary, 5000, 10, 2, 0.4)).Metric);
        Assert.Equal(MetricKind.MacroF1, MetricCatalog.DefaultFor(new DataTraits(TaskKind.Multiclass, 5000, 10, 4, 0.02)).Metric);
        Assert.Equal(MetricKind.Accuracy, MetricCatalog.DefaultFor(new DataTraits(TaskKind.Multiclass, 5000, 10, 4, 0.25)).Metric);
        Assert.Equal(MetricKind.R2, MetricCatalog.DefaultFor(new DataTraits(TaskKind.Regression, 5000, 10, 0, 1)).Metric);
        Assert.Contains("imbalanced (the rarest is 5% of rows)", MetricCatalog.DefaultFor(new DataTraits(TaskKind.Binary, 5000, 10, 2, 0.05)).Reason, StringComparison.Ordinal);
    }
}
