namespace Ferry.Learn.Torch.Training;

/// <summary>
/// Holds back a slice of the training rows to decide when to stop (early stopping), stratified by class so that
/// a rare class is in both parts. The search's own validation data stays untouched: this slice comes out of the
/// rows a single fit is given.
/// </summary>
internal static class ValidationSlice
{
    /// <summary>The share of rows held back.</summary>
    public const double Share = 0.15;

    /// <summary>Below this many held-back rows the slice would be noise: all rows train and the epochs run out.</summary>
    public const int MinimumRows = 8;

    /// <summary>Splits row indices 0..labels.Length-1 into training and validation rows, each in ascending order.</summary>
    /// <param name="labels">The labels (class indices for classification).</param>
    /// <param name="classification">Whether to stratify by class.</param>
    /// <param name="random">Decides which rows are held back.</param>
    public static (int[] Train, int[] Validation) Split(float[] labels, bool classification, Random random)
    {
        var rows = labels.Length;
        if (rows * Share < MinimumRows)
        {
            return ([.. Enumerable.Range(0, rows)], []);
        }

        var groups = classification
            ? Enumerable.Range(0, rows).GroupBy(r => (int)labels[r]).OrderBy(g => g.Key).Select(g => g.ToArray())
            : [Enumerable.Range(0, rows).ToArray()];
        var held = new List<int>();
        foreach (var group in groups)
        {
            random.Shuffle(group);
            // A class of one or two rows stays wholly in training: it cannot spare a row.
            var take = group.Length < 3 ? 0 : Math.Max(1, (int)Math.Round(group.Length * Share));
            held.AddRange(group.Take(take));
        }

        var validation = held.Order().ToArray();
        var isHeld = new bool[rows];
        foreach (var row in validation)
        {
            isHeld[row] = true;
        }

        return ([.. Enumerable.Range(0, rows).Where(r => !isHeld[r])], validation);
    }
}
