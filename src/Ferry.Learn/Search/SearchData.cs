using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// The rows a search may look at (never the test rows), featurised once without and once with scaling, and
/// the folds trials are scored on: k cross-validation folds, or one train/validation holdout as a single fold.
/// </summary>
/// <param name="Unscaled">Labels, weights and features for learners that do not want scaling (trees).</param>
/// <param name="Scaled">The same rows scaled, for linear and neural learners.</param>
/// <param name="Folds">Each fold's training and validation row indices into these rows.</param>
internal sealed record SearchData(TrainingSet Unscaled, FeatureMatrix Scaled, IReadOnlyList<(int[] Train, int[] Validation)> Folds)
{
    /// <summary>The training set a learner sees: scaled features if it wants them.</summary>
    public TrainingSet For(ILearner learner) => learner.NeedsScaling ? Unscaled with { Features = Scaled } : Unscaled;
}
