using Ferry.Learn.Training;

namespace Ferry.Learn.Learners.Linear;

/// <summary>
/// Solves weighted ridge regression exactly: minimises Σᵢ wᵢ (yᵢ − b − xᵢ·β)² + α‖β‖² with the intercept b left
/// unpenalised, by centring on the weighted means and a Cholesky factorisation of the p × p system in double
/// precision. Cost is rows × features² / 2 for the Gram matrix plus features³ / 6 for the factorisation.
/// </summary>
internal static class RidgeSolver
{
    /// <summary>The coefficients and intercept, or null when the system is not positive definite (α too small for collinear features).</summary>
    public static (double[] Coefficients, double Intercept)? Solve(FeatureMatrix features, float[] labels, float[]? weights, double alpha, CancellationToken cancellationToken)
    {
        var p = features.Columns;
        var (means, labelMean) = Means(features, labels, weights);
        var gram = new double[p * p];
        var moment = new double[p];
        var centred = new double[p];
        for (var i = 0; i < features.Rows; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var row = features.Row(i);
            var w = weights?[i] ?? 1.0;
            for (var j = 0; j < p; j++)
            {
                centred[j] = row[j] - means[j];
            }

            var residual = w * (labels[i] - labelMean);
            for (var j = 0; j < p; j++)
            {
                var wx = w * centred[j];
                moment[j] += centred[j] * residual;
                var line = gram.AsSpan(j * p, p);
                for (var k = j; k < p; k++)
                {
                    line[k] += wx * centred[k];
                }
            }
        }

        for (var j = 0; j < p; j++)
        {
            gram[j * p + j] += alpha;
        }

        if (!Cholesky(gram, p))
        {
            return null;
        }

        var coefficients = Substitute(gram, p, moment);
        var intercept = labelMean;
        for (var j = 0; j < p; j++)
        {
            intercept -= coefficients[j] * means[j];
        }

        return (coefficients, intercept);
    }

    private static (double[] Means, double LabelMean) Means(FeatureMatrix features, float[] labels, float[]? weights)
    {
        var means = new double[features.Columns];
        double total = 0, labelSum = 0;
        for (var i = 0; i < features.Rows; i++)
        {
            var row = features.Row(i);
            var w = weights?[i] ?? 1.0;
            total += w;
            labelSum += w * labels[i];
            for (var j = 0; j < means.Length; j++)
            {
                means[j] += w * row[j];
            }
        }

        for (var j = 0; j < means.Length; j++)
        {
            means[j] /= total;
        }

        return (means, labelSum / total);
    }

    /// <summary>Factorises the upper triangle in place into Uᵀ U (U upper); false when a pivot is not positive.</summary>
    private static bool Cholesky(double[] a, int p)
    {
        for (var j = 0; j < p; j++)
        {
            var pivot = a[j * p + j];
            for (var k = 0; k < j; k++)
            {
                pivot -= a[k * p + j] * a[k * p + j];
            }

            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                return false;
            }

            var root = Math.Sqrt(pivot);
            a[j * p + j] = root;
            for (var c = j + 1; c < p; c++)
            {
                var sum = a[j * p + c];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[k * p + j] * a[k * p + c];
                }

                a[j * p + c] = sum / root;
            }
        }

        return true;
    }

    /// <summary>Solves Uᵀ U x = b with the factor from <see cref="Cholesky"/>.</summary>
    private static double[] Substitute(double[] u, int p, double[] b)
    {
        var z = new double[p];
        for (var j = 0; j < p; j++)
        {
            var sum = b[j];
            for (var k = 0; k < j; k++)
            {
                sum -= u[k * p + j] * z[k];
            }

            z[j] = sum / u[j * p + j];
        }

        var x = new double[p];
        for (var j = p - 1; j >= 0; j--)
        {
            var sum = z[j];
            for (var k = j + 1; k < p; k++)
            {
                sum -= u[j * p + k] * x[k];
            }

            x[j] = sum / u[j * p + j];
        }

        return x;
    }
}
