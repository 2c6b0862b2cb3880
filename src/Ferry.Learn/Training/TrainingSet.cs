using Ferry.Data.Schema;

namespace Ferry.Learn.Training;

/// <summary>
/// What a learner fits on: features, the label as a number per row (the class index into <see cref="Classes"/>
/// for classification, the value for regression) and optional per-row weights (class weights for imbalance).
/// </summary>
/// <param name="Features">The featurised rows.</param>
/// <param name="Labels">One label per row.</param>
/// <param name="Weights">One weight per row, or null for equal weights.</param>
/// <param name="Task">The task.</param>
/// <param name="Classes">Class labels (index = label value); empty for regression.</param>
public sealed record TrainingSet(FeatureMatrix Features, float[] Labels, float[]? Weights, TaskKind Task, IReadOnlyList<string> Classes)
{
    /// <summary>A subset of the rows (for folds and holdouts), keeping classes and task.</summary>
    public TrainingSet SelectRows(int[] rows) => this with
    {
        Features = Features.SelectRows(rows),
        Labels = rows.Select(r => Labels[r]).ToArray(),
        Weights = Weights is null ? null : rows.Select(r => Weights[r]).ToArray(),
    };
}
