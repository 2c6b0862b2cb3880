namespace Ferry.Data.Splits;

/// <summary>
/// Row indices of a table divided into train, validation and test parts. Each array is sorted ascending
/// and no row is in two parts. Arrays compare by reference (record equality does not look inside them).
/// </summary>
/// <param name="Train">Rows to fit a model on.</param>
/// <param name="Validation">Rows to tune and pick a model on.</param>
/// <param name="Test">Rows held back for the final score.</param>
public sealed record Split(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>Rows left out of every part (for example a missing label or timestamp), sorted ascending.</summary>
    public int[] Excluded { get; init; } = [];

    /// <summary>What a user should know about how the split came out (rows left out, fractions missed and why).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One fold of a k-fold split: the rows validated on in this fold and the rows trained on. Arrays are sorted ascending.</summary>
/// <param name="Index">The 0-based fold number.</param>
/// <param name="Train">Rows to fit on: every included row not in <paramref name="Validation"/> (for <see cref="Splitter.TimeFolds"/>, only the earlier ones).</param>
/// <param name="Validation">Rows scored in this fold; across all folds each included row is validated exactly once (at most once for time folds).</param>
public sealed record Fold(int Index, int[] Train, int[] Validation)
{
    /// <summary>Rows left out of every fold (for example a missing label), sorted ascending.</summary>
    public int[] Excluded { get; init; } = [];

    /// <summary>What a user should know about how the folds came out.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
