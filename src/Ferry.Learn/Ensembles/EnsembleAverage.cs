namespace Ferry.Learn.Ensembles;

/// <summary>
/// The one way an ensemble combines its members' outputs, used both when the search selects it (on out-of-fold
/// predictions) and when it predicts, so the two agree to the bit: per row and column, the weighted mean in
/// double precision, in member order, rounded to float once.
/// </summary>
internal static class EnsembleAverage
{
    /// <summary>
    /// The weighted mean of the members' outputs (probability rows or one-value regression rows). A row that any
    /// member lacks (null: a row no fold validated) stays null.
    /// </summary>
    public static float[]?[] Combine(IReadOnlyList<IReadOnlyList<float[]?>> members, IReadOnlyList<double> weights)
    {
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        if (weights.Count != members.Count)
        {
            throw new ArgumentException($"{weights.Count} weights for {members.Count} members", nameof(weights));
        }

        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var rows = members[0].Count;
        var combined = new float[]?[rows];
        for (var r = 0; r < rows; r++)
        {
            var first = members[0][r];
            if (first is null || members.Any(m => m[r] is null))
            {
                continue;
            }

            var sums = new double[first.Length];
            for (var m = 0; m < members.Count; m++)
            {
                var row = members[m][r]!;
                if (row.Length != sums.Length)
                {
                    throw new ArgumentException($"member {m} gives {row.Length} outputs per row, member 0 gives {sums.Length}", nameof(members));
                }

                for (var c = 0; c < sums.Length; c++)
                {
                    sums[c] += weights[m] * row[c];
                }
            }

            var output = new float[sums.Length];
            for (var c = 0; c < output.Length; c++)
            {
                output[c] = (float)(sums[c] / total);
            }

            combined[r] = output;
        }

        return combined;
    }
}
