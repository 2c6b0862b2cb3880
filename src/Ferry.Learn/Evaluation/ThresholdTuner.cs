using Ferry.Data.Schema;
using Ferry.Learn.Training;

namespace Ferry.Learn.Evaluation;

/// <summary>A binary decision threshold and the metric value it reached on the rows it was tuned on.</summary>
/// <param name="Threshold">Class 1 is predicted when its probability is at least this.</param>
/// <param name="Metric">The metric maximised.</param>
/// <param name="Score">The metric's value at the threshold.</param>
public sealed record TunedThreshold(double Threshold, MetricKind Metric, double Score);

/// <summary>
/// Tunes a binary model's decision threshold on validation probabilities: tries every cut between distinct
/// probabilities in one sorted pass and keeps the one that maximises a label metric (ties go to the cut closest to 0.5).
/// </summary>
public static class ThresholdTuner
{
    /// <summary>
    /// The metric to tune the threshold for: the selection metric when it scores labels, otherwise macro-F1 for
    /// imbalanced classes (so both classes count) and accuracy for balanced ones.
    /// </summary>
    public static MetricKind MetricFor(MetricKind selection, DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        return MetricCatalog.UsesThreshold(selection) ? selection : traits.IsImbalanced ? MetricKind.MacroF1 : MetricKind.Accuracy;
    }

    /// <summary>Finds the threshold that maximises <paramref name="metric"/> (accuracy, balanced accuracy, macro-F1 or F1).</summary>
    /// <param name="labels">Class index (0 or 1) per row.</param>
    /// <param name="outputs">Probability rows (class 0, class 1) per row.</param>
    /// <param name="metric">The label metric to maximise.</param>
    public static TunedThreshold Tune(float[] labels, IReadOnlyList<float[]> outputs, MetricKind metric)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(outputs);
        if (!MetricCatalog.UsesThreshold(metric))
        {
            throw new ArgumentException($"{MetricCatalog.NameOf(metric)} does not depend on a threshold", nameof(metric));
        }

        ClassificationMetrics.CheckLengths(labels.Length, outputs.Count);
        var n = labels.Length;
        var order = Enumerable.Range(0, n).OrderByDescending(i => outputs[i][1]).ToArray();
        var positives = labels.Count(l => l == 1);
        var negatives = n - positives;

        // Cut k predicts the first k rows (by falling probability) as class 1; cuts fall only between distinct probabilities.
        var best = new TunedThreshold(0.5, metric, Evaluate(metric, 0, 0, positives, negatives));
        var bestThreshold = n == 0 ? 0.5 : Math.BitIncrement((double)outputs[order[0]][1]);
        long truePositives = 0, falsePositives = 0;
        for (var k = 1; k <= n; k++)
        {
            if (labels[order[k - 1]] == 1)
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            var here = (double)outputs[order[k - 1]][1];
            if (k < n && outputs[order[k]][1] == here)
            {
                continue;
            }

            var threshold = k < n ? (here + outputs[order[k]][1]) / 2 : here;
            var score = Evaluate(metric, truePositives, falsePositives, positives, negatives);
            if (score > best.Score + 1e-12 || (Math.Abs(score - best.Score) <= 1e-12 && Math.Abs(threshold - 0.5) < Math.Abs(bestThreshold - 0.5)))
            {
                best = best with { Score = score };
                bestThreshold = threshold;
            }
        }

        return best with { Threshold = bestThreshold };
    }

    private static double Evaluate(MetricKind metric, long tp, long fp, long positives, long negatives)
    {
        var fn = positives - tp;
        var tn = negatives - fp;
        double F1(long truePos, long falsePos, long falseNeg) => truePos == 0 ? 0 : 2.0 * truePos / (2.0 * truePos + falsePos + falseNeg);
        double Recall(long hit, long all) => all == 0 ? double.NaN : (double)hit / all;
        return metric switch
        {
            MetricKind.Accuracy => (double)(tp + tn) / Math.Max(1, positives + negatives),
            MetricKind.F1 => F1(tp, fp, fn),
            MetricKind.MacroF1 => MacroF1(F1(tp, fp, fn), F1(tn, fn, fp), positives + fp > 0, negatives + fn > 0),
            _ => Mean(Recall(tp, positives), Recall(tn, negatives)),
        };
    }

    private static double MacroF1(double f1Positive, double f1Negative, bool positiveCounts, bool negativeCounts) =>
        (positiveCounts, negativeCounts) switch
        {
            (true, true) => (f1Positive + f1Negative) / 2,
            (true, false) => f1Positive,
            _ => f1Negative,
        };

    private static double Mean(double a, double b) =>
        double.IsNaN(a) ? b : double.IsNaN(b) ? a : (a + b) / 2;
}
