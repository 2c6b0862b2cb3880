namespace Ferry.Learn.Learners.MlNet;

/// <summary>Turns ML.NET's scored columns into Ferry's prediction rows, the same whichever way the rows were scored.</summary>
internal static class MlNetOutputs
{
    /// <summary>Class probabilities [1 - p, p] from a calibrated binary probability (NaN, from an empty row, is 0.5).</summary>
    public static float[] Binary(float probability)
    {
        var p = float.IsNaN(probability) ? 0.5f : Math.Clamp(probability, 0f, 1f);
        return [1 - p, p];
    }

    /// <summary>
    /// Multiclass scores as probabilities. One-vs-all and maximum entropy already sum to 1; renormalising guards
    /// against rounding and empty rows.
    /// </summary>
    public static float[] Normalise(float[] row)
    {
        double sum = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (!float.IsFinite(row[i]) || row[i] < 0)
            {
                row[i] = 0;
            }

            sum += row[i];
        }

        for (var i = 0; i < row.Length; i++)
        {
            row[i] = sum > 0 ? (float)(row[i] / sum) : 1f / row.Length;
        }

        return row;
    }
}
