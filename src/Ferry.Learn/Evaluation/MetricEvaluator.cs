using Ferry.Data.Schema;

namespace Ferry.Learn.Evaluation;

/// <summary>
/// Scores model outputs (as <see cref="Training.IFittedModel.Predict"/> returns them) against labels (as in
/// <see cref="Training.TrainingSet.Labels"/>): class indexes and probability rows for classification, values for regression.
/// </summary>
public static class MetricEvaluator
{
    /// <summary>The value of <paramref name="metric"/>. Binary labels are predicted as class 1 when its probability is at least <paramref name="threshold"/>.</summary>
    /// <exception cref="FerryException">Usage METRIC_NOT_FOR_TASK when the metric does not fit the task.</exception>
    public static double Score(MetricKind metric, TaskKind task, float[] labels, IReadOnlyList<float[]> outputs, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(outputs);
        MetricCatalog.Check(metric, task);
        ClassificationMetrics.CheckLengths(labels.Length, outputs.Count);
        if (task == TaskKind.Regression)
        {
            var actual = labels.Select(l => (double)l).ToArray();
            var predicted = outputs.Select(o => (double)o[0]).ToArray();
            return metric switch
            {
                MetricKind.R2 => RegressionMetrics.R2(actual, predicted),
                MetricKind.Rmse => RegressionMetrics.Rmse(actual, predicted),
                _ => RegressionMetrics.Mae(actual, predicted),
            };
        }

        var classes = labels.Select(l => (int)l).ToArray();
        var classCount = outputs.Count == 0 ? 2 : Math.Max(outputs[0].Length, classes.DefaultIfEmpty().Max() + 1);
        switch (metric)
        {
            case MetricKind.LogLoss:
                return ClassificationMetrics.LogLoss(classes, outputs);
            case MetricKind.RocAuc when task == TaskKind.Binary:
                return RankingMetrics.RocAuc(classes.Select(c => c == 1).ToArray(), PositiveScores(outputs, 1));
            case MetricKind.RocAuc:
                return RankingMetrics.MulticlassRocAuc(classes, outputs, classCount);
            case MetricKind.PrAuc:
                {
                    var rare = RarerClass(classes);
                    return RankingMetrics.AveragePrecision(classes.Select(c => c == rare).ToArray(), PositiveScores(outputs, rare));
                }
        }

        return ScoreClasses(metric, classes, PredictedClasses(task, outputs, threshold), classCount);
    }

    /// <summary>A label metric (<see cref="MetricCatalog.UsesThreshold"/>) of predicted class indexes.</summary>
    internal static double ScoreClasses(MetricKind metric, int[] classes, int[] predictedClasses, int classCount) => metric switch
    {
        MetricKind.Accuracy => ClassificationMetrics.Accuracy(classes, predictedClasses),
        MetricKind.BalancedAccuracy => ClassificationMetrics.BalancedAccuracy(classes, predictedClasses, classCount),
        MetricKind.MacroF1 => ClassificationMetrics.MacroF1(classes, predictedClasses, classCount),
        MetricKind.F1 => ClassificationMetrics.F1(classes, predictedClasses, 1, classCount),
        _ => throw new ArgumentException($"{MetricCatalog.NameOf(metric)} does not score predicted labels", nameof(metric)),
    };

    /// <summary>Every metric <see cref="MetricCatalog.ReportedFor"/> the task lists, by metric.</summary>
    public static IReadOnlyDictionary<MetricKind, double> ScoreAll(TaskKind task, float[] labels, IReadOnlyList<float[]> outputs, double threshold = 0.5) =>
        MetricCatalog.ReportedFor(task).ToDictionary(m => m, m => Score(m, task, labels, outputs, threshold));

    /// <summary>
    /// The predicted class per row: for binary class 1 when its probability is at least <paramref name="threshold"/>,
    /// for multiclass the most probable class (the lowest index on a tie).
    /// </summary>
    public static int[] PredictedClasses(TaskKind task, IReadOnlyList<float[]> outputs, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var predicted = new int[outputs.Count];
        for (var i = 0; i < predicted.Length; i++)
        {
            var row = outputs[i];
            if (task == TaskKind.Binary)
            {
                predicted[i] = row[1] >= threshold ? 1 : 0;
                continue;
            }

            var best = 0;
            for (var c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            predicted[i] = best;
        }

        return predicted;
    }

    /// <summary>Binary class that is rarer in <paramref name="classes"/>, class 1 on a tie: the class PR-AUC is about.</summary>
    internal static int RarerClass(int[] classes)
    {
        var ones = classes.Count(c => c == 1);
        return ones <= classes.Length - ones ? 1 : 0;
    }

    private static double[] PositiveScores(IReadOnlyList<float[]> outputs, int positive) =>
        [.. outputs.Select(o => (double)o[positive])];
}
