namespace Ferry.Data.Splits;

/// <summary>How rows are put into parts.</summary>
public enum SplitStrategy
{
    /// <summary>Shuffled by seed; stratified by <see cref="SplitPlan.Column"/> when one is given.</summary>
    Stratified,

    /// <summary>Whole groups (rows sharing a value of <see cref="SplitPlan.Column"/>) go to one part.</summary>
    Group,

    /// <summary>Oldest rows train, newer validate, newest test, ordered by <see cref="SplitPlan.Column"/>; the seed is unused.</summary>
    Time,
}

/// <summary>
/// A train/validation/test split request, small enough to store with a dataset version so the same split
/// can be made again; <see cref="Splitter.Apply"/> carries it out.
/// </summary>
/// <param name="Strategy">How rows are put into parts.</param>
/// <param name="Column">The stratify-by, group or time column; null only for an unstratified <see cref="SplitStrategy.Stratified"/> split.</param>
/// <param name="ValidationFraction">Share of rows for validation, in [0, 1).</param>
/// <param name="TestFraction">Share of rows for test, in [0, 1); the two fractions sum below 1.</param>
/// <param name="Seed">The shuffle seed; the same seed on the same table always gives the same split.</param>
public sealed record SplitPlan(SplitStrategy Strategy, string? Column, double ValidationFraction, double TestFraction, ulong Seed);
