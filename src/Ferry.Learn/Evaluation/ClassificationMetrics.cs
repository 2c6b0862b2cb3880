namespace Ferry.Learn.Evaluation;

/// <summary>
/// Metrics on predicted class indexes, defined as scikit-learn defines them (classes absent from both the labels
/// and the predictions do not count; a class never predicted has precision 0).
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Share of rows where the prediction equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        CheckLengths(actual.Length, predicted.Length);
        var right = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            right += actual[i] == predicted[i] ? 1 : 0;
        }

        return actual.Length == 0 ? double.NaN : (double)right / actual.Length;
    }

    /// <summary>Mean recall over the classes present in <paramref name="actual"/>.</summary>
    public static double BalancedAccuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        var confusion = Confusion.Of(actual, predicted, classCount);
        double sum = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (confusion.Support(c) > 0)
            {
                sum += (double)confusion.TruePositives(c) / confusion.Support(c);
                present++;
            }
        }

        return present == 0 ? double.NaN : sum / present;
    }

    /// <summary>Unweighted mean of per-class F1 over the classes present in the labels or the predictions.</summary>
    public static double MacroF1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        var confusion = Confusion.Of(actual, predicted, classCount);
        double sum = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (confusion.Support(c) > 0 || confusion.PredictedCount(c) > 0)
            {
                sum += confusion.F1(c);
                present++;
            }
        }

        return present == 0 ? double.NaN : sum / present;
    }

    /// <summary>F1 of class <paramref name="positive"/> (0 when it is never predicted or never present).</summary>
    public static double F1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int positive, int classCount) =>
        Confusion.Of(actual, predicted, classCount).F1(positive);

    /// <summary>
    /// Mean negative log-probability of the true class; each row is clipped to [1e-15, 1 - 1e-15] and renormalised
    /// first, as scikit-learn 1.2 does, so a confident mistake costs about 34.5 rather than infinity.
    /// </summary>
    public static double LogLoss(ReadOnlySpan<int> actual, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        CheckLengths(actual.Length, probabilities.Count);
        const double eps = 1e-15;
        double total = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var row = probabilities[i];
            double sum = 0;
            foreach (var p in row)
            {
                sum += Math.Clamp(p, eps, 1 - eps);
            }

            total -= Math.Log(Math.Clamp(row[actual[i]], eps, 1 - eps) / sum);
        }

        return actual.Length == 0 ? double.NaN : total / actual.Length;
    }

    internal static void CheckLengths(int actual, int predicted)
    {
        if (actual != predicted)
        {
            throw new ArgumentException($"{actual} labels but {predicted} predictions");
        }
    }

    /// <summary>A confusion count per class.</summary>
    private sealed class Confusion
    {
        private readonly int[] _truePositive;
        private readonly int[] _support;
        private readonly int[] _predicted;

        private Confusion(int classCount)
        {
            _truePositive = new int[classCount];
            _support = new int[classCount];
            _predicted = new int[classCount];
        }

        public static Confusion Of(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
        {
            CheckLengths(actual.Length, predicted.Length);
            var confusion = new Confusion(classCount);
            for (var i = 0; i < actual.Length; i++)
            {
                confusion._support[actual[i]]++;
                confusion._predicted[predicted[i]]++;
                if (actual[i] == predicted[i])
                {
                    confusion._truePositive[actual[i]]++;
                }
            }

            return confusion;
        }

        public int Support(int c) => _support[c];

        public int PredictedCount(int c) => _predicted[c];

        public int TruePositives(int c) => _truePositive[c];

        public double F1(int c)
        {
            // F1 = 2TP / (2TP + FP + FN) = 2TP / (predicted + support); 0 when both are 0, as scikit-learn's zero_division.
            var denominator = _predicted[c] + _support[c];
            return denominator == 0 ? 0 : 2.0 * _truePositive[c] / denominator;
        }
    }
}
