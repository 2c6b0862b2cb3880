namespace Ferry.Data.Splits;

/// <summary>Turns a per-row fold assignment into <see cref="Fold"/> records.</summary>
internal static class FoldBuilder
{
    /// <param name="foldOf">The fold each row is validated in, or -1 for a row left out of every fold.</param>
    /// <param name="k">The number of folds.</param>
    /// <param name="excluded">The rows left out, ascending.</param>
    /// <param name="notes">Notes shared by every fold.</param>
    public static IReadOnlyList<Fold> Build(int[] foldOf, int k, int[] excluded, IReadOnlyList<string> notes)
    {
        var sizes = new int[k];
        var included = 0;
        foreach (var f in foldOf)
        {
            if (f >= 0)
            {
                sizes[f]++;
                included++;
            }
        }

        var validation = new int[k][];
        var train = new int[k][];
        for (var f = 0; f < k; f++)
        {
            validation[f] = new int[sizes[f]];
            train[f] = new int[included - sizes[f]];
        }

        // One pass in row order fills every array already sorted.
        var validationFill = new int[k];
        var trainFill = new int[k];
        for (var row = 0; row < foldOf.Length; row++)
        {
            var own = foldOf[row];
            if (own < 0)
            {
                continue;
            }

            validation[own][validationFill[own]++] = row;
            for (var f = 0; f < k; f++)
            {
                if (f != own)
                {
                    train[f][trainFill[f]++] = row;
                }
            }
        }

        var folds = new Fold[k];
        for (var f = 0; f < k; f++)
        {
            folds[f] = new Fold(f, train[f], validation[f]) { Excluded = excluded, Notes = notes };
        }

        return folds;
    }
}
