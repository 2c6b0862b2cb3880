namespace Ferry.Learn.Training;

/// <summary>
/// "Balanced" class weights, as scikit-learn's <c>class_weight="balanced"</c>: class c weighs n / (k · count_c), where k
/// counts the classes present (a fold may miss one), so every present class carries the same total weight and the mean row weight stays 1.
/// </summary>
public static class ClassWeights
{
    /// <summary>One weight per class (0 for a class with no rows).</summary>
    /// <param name="labels">Class index per row.</param>
    /// <param name="classCount">How many classes there are (the length of the result).</param>
    public static double[] Balanced(ReadOnlySpan<float> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var counts = new long[classCount];
        foreach (var label in labels)
        {
            counts[(int)label]++;
        }

        var present = counts.Count(n => n > 0);
        var weights = new double[classCount];
        for (var c = 0; c < classCount; c++)
        {
            weights[c] = counts[c] == 0 ? 0 : (double)labels.Length / (present * counts[c]);
        }

        return weights;
    }

    /// <summary>Each row's class weight.</summary>
    public static float[] PerRow(ReadOnlySpan<float> labels, IReadOnlyList<double> classWeights)
    {
        ArgumentNullException.ThrowIfNull(classWeights);
        var rows = new float[labels.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (float)classWeights[(int)labels[i]];
        }

        return rows;
    }
}
