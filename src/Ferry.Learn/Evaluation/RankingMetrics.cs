namespace Ferry.Learn.Evaluation;

/// <summary>Metrics on scores rather than labels: ROC-AUC and average precision (PR-AUC), ties handled as scikit-learn does.</summary>
public static class RankingMetrics
{
    /// <summary>
    /// The area under the ROC curve: the chance that a random positive scores above a random negative, ties
    /// counting half. NaN when the rows hold only one class.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        ClassificationMetrics.CheckLengths(positive.Length, scores.Length);
        var (order, keys) = Descending(scores);
        long positives = 0, negatives = 0;
        foreach (var p in positive)
        {
            if (p)
            {
                positives++;
            }
            else
            {
                negatives++;
            }
        }

        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        // Walk down the scores in tied groups; each negative gains credit for the positives above it, half for ties.
        double area = 0;
        long positivesAbove = 0;
        var i = 0;
        while (i < order.Length)
        {
            long groupPositives = 0, groupNegatives = 0;
            var key = keys[i];
            for (; i < order.Length && keys[i] == key; i++)
            {
                if (positive[order[i]])
                {
                    groupPositives++;
                }
                else
                {
                    groupNegatives++;
                }
            }

            area += groupNegatives * (positivesAbove + groupPositives / 2.0);
            positivesAbove += groupPositives;
        }

        return area / ((double)positives * negatives);
    }

    /// <summary>
    /// Macro one-vs-rest ROC-AUC over the classes present in <paramref name="actual"/>, from each class's probability column.
    /// NaN when fewer than two classes are present.
    /// </summary>
    public static double MulticlassRocAuc(ReadOnlySpan<int> actual, IReadOnlyList<float[]> probabilities, int classCount)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ClassificationMetrics.CheckLengths(actual.Length, probabilities.Count);
        var isClass = new bool[actual.Length];
        var scores = new double[actual.Length];
        double sum = 0;
        var counted = 0;
        for (var c = 0; c < classCount; c++)
        {
            for (var i = 0; i < actual.Length; i++)
            {
                isClass[i] = actual[i] == c;
                scores[i] = probabilities[i][c];
            }

            var auc = RocAuc(isClass, scores);
            if (!double.IsNaN(auc))
            {
                sum += auc;
                counted++;
            }
        }

        return counted < 2 ? double.NaN : sum / counted;
    }

    /// <summary>
    /// Average precision: the mean of the precision at each threshold weighted by the recall it adds
    /// (scikit-learn's <c>average_precision_score</c>, without interpolation). NaN when no row is positive.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        ClassificationMetrics.CheckLengths(positive.Length, scores.Length);
        var total = 0;
        foreach (var p in positive)
        {
            total += p ? 1 : 0;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var (order, keys) = Descending(scores);
        double ap = 0;
        long truePositives = 0, taken = 0;
        var i = 0;
        while (i < order.Length)
        {
            var key = keys[i];
            long groupPositives = 0;
            for (; i < order.Length && keys[i] == key; i++)
            {
                groupPositives += positive[order[i]] ? 1 : 0;
                taken++;
            }

            truePositives += groupPositives;
            ap += (double)groupPositives / total * ((double)truePositives / taken);
        }

        return ap;
    }

    // Rows by falling score with the sorted (negated) scores, equal scores adjacent; NaN scores rank last.
    private static (int[] Order, double[] Keys) Descending(ReadOnlySpan<double> scores)
    {
        var order = new int[scores.Length];
        var keys = new double[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = double.IsNaN(scores[i]) ? double.PositiveInfinity : -scores[i];
        }

        Array.Sort(keys, order);
        return (order, keys);
    }
}
