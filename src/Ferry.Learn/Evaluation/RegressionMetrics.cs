namespace Ferry.Learn.Evaluation;

/// <summary>Regression metrics on actual and predicted values.</summary>
public static class RegressionMetrics
{
    /// <summary>
    /// R² = 1 - SS_res / SS_tot. When the actual values do not vary it is 1 for a perfect fit and 0 otherwise
    /// (scikit-learn's <c>force_finite</c>), so it never comes out infinite.
    /// </summary>
    public static double R2(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        ClassificationMetrics.CheckLengths(actual.Length, predicted.Length);
        if (actual.Length == 0)
        {
            return double.NaN;
        }

        double mean = 0;
        foreach (var a in actual)
        {
            mean += a;
        }

        mean /= actual.Length;
        double residual = 0, spread = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            spread += (actual[i] - mean) * (actual[i] - mean);
        }

        return spread == 0 ? residual == 0 ? 1 : 0 : 1 - residual / spread;
    }

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        ClassificationMetrics.CheckLengths(actual.Length, predicted.Length);
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
        }

        return actual.Length == 0 ? double.NaN : Math.Sqrt(sum / actual.Length);
    }

    /// <summary>Mean absolute error.</summary>
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        ClassificationMetrics.CheckLengths(actual.Length, predicted.Length);
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(actual[i] - predicted[i]);
        }

        return actual.Length == 0 ? double.NaN : sum / actual.Length;
    }
}
