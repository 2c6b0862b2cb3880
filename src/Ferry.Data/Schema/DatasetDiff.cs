namespace Ferry.Data.Schema;

/// <summary>How much a difference between two dataset versions matters. Thresholds are on <see cref="DatasetDiffer"/>.</summary>
public enum ChangeSeverity
{
    /// <summary>No difference worth reporting.</summary>
    None,

    /// <summary>A difference worth a look; models usually cope.</summary>
    Minor,

    /// <summary>A difference likely to change what a model learns or how it scores.</summary>
    Major,
}

/// <summary>What kind of structural change a <see cref="SchemaChange"/> is.</summary>
public enum SchemaChangeKind
{
    /// <summary>A column only B has.</summary>
    ColumnAdded,

    /// <summary>A column only A has.</summary>
    ColumnRemoved,

    /// <summary>A column's inferred kind differs.</summary>
    KindChanged,

    /// <summary>The label column differs.</summary>
    LabelChanged,

    /// <summary>The inferred task differs.</summary>
    TaskChanged,

    /// <summary>The number of rows differs.</summary>
    RowCountChanged,
}

/// <summary>The differences between dataset versions A and B, computed from schemas and profiles only (no raw rows).</summary>
/// <param name="RowsA">Rows in A.</param>
/// <param name="RowsB">Rows in B.</param>
/// <param name="SchemaChanges">Structural changes: columns added or removed, kinds, label, task, row count.</param>
/// <param name="Columns">One entry per column present in both, in A's order, including unchanged ones (severity None).</param>
public sealed record DatasetDiff(
    int RowsA,
    int RowsB,
    IReadOnlyList<SchemaChange> SchemaChanges,
    IReadOnlyList<ColumnChange> Columns)
{
    /// <summary>The most severe change of any kind.</summary>
    public ChangeSeverity Severity =>
        SchemaChanges.Select(c => c.Severity).Concat(Columns.Select(c => c.Severity)).DefaultIfEmpty(ChangeSeverity.None).Max();

    /// <summary>Whether anything differs at all.</summary>
    public bool HasChanges => SchemaChanges.Count > 0 || Columns.Any(c => c.Severity != ChangeSeverity.None);
}

/// <summary>A structural change between A and B.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Column">The column concerned, if one is.</param>
/// <param name="Before">The value in A (kind, label, task or row count as text), if any.</param>
/// <param name="After">The value in B, if any.</param>
/// <param name="Message">A sentence describing the change.</param>
public sealed record SchemaChange(
    SchemaChangeKind Kind,
    ChangeSeverity Severity,
    string? Column,
    string? Before,
    string? After,
    string Message);

/// <summary>How one column's distribution moved from A to B.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Severity">The most severe of the changes below.</param>
/// <param name="MissingRateA">Share of A's rows with no value.</param>
/// <param name="MissingRateB">Share of B's rows with no value.</param>
/// <param name="Numeric">The numeric comparison, when both sides have numeric summaries.</param>
/// <param name="Categories">The comparison of value frequencies, when both sides have top values.</param>
/// <param name="Notes">What changed, in words, one note per finding.</param>
public sealed record ColumnChange(
    string Name,
    ChangeSeverity Severity,
    double MissingRateA,
    double MissingRateB,
    NumericShift? Numeric,
    CategoryShift? Categories,
    IReadOnlyList<string> Notes);

/// <summary>A numeric column's change in summary statistics.</summary>
/// <param name="MeanA">A's mean.</param>
/// <param name="MeanB">B's mean.</param>
/// <param name="MeanShiftInStd">(mean B - mean A) / A's standard deviation; null when A is constant.</param>
/// <param name="StdRatio">B's standard deviation / A's; null when A is constant.</param>
/// <param name="MedianA">A's median.</param>
/// <param name="MedianB">B's median.</param>
/// <param name="MedianShiftInStd">(median B - median A) / A's standard deviation; null when A is constant.</param>
/// <param name="MinA">A's minimum.</param>
/// <param name="MinB">B's minimum.</param>
/// <param name="MaxA">A's maximum.</param>
/// <param name="MaxB">B's maximum.</param>
/// <param name="Psi">
/// Approximate population stability index of B against A on A's histogram bins; null when A is constant.
/// B's histogram is re-binned onto A's edges assuming values spread uniformly within each of B's bins,
/// A's outer bins are extended to cover all numbers, and empty bins count as 0.0001 of the mass.
/// </param>
public sealed record NumericShift(
    double MeanA,
    double MeanB,
    double? MeanShiftInStd,
    double? StdRatio,
    double MedianA,
    double MedianB,
    double? MedianShiftInStd,
    double MinA,
    double MinB,
    double MaxA,
    double MaxB,
    double? Psi);

/// <summary>A change in value frequencies, from the two profiles' top values.</summary>
/// <param name="NewCategories">Values B has that A does not (only listed when A's top values cover all of A's values).</param>
/// <param name="VanishedCategories">Values A has that B does not (only listed when B's top values cover all of B's values).</param>
/// <param name="NewCategoryShare">Share of B's non-missing rows holding a new value.</param>
/// <param name="TotalVariation">
/// Total-variation distance (half the sum of absolute differences in shares) between the value distributions,
/// values beyond the top lists pooled into one "other" value per side; exact when both lists are complete.
/// </param>
public sealed record CategoryShift(
    IReadOnlyList<string> NewCategories,
    IReadOnlyList<string> VanishedCategories,
    double NewCategoryShare,
    double TotalVariation);
