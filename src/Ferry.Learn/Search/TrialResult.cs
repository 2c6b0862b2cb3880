using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Scored on every fold it was given.</summary>
    Completed,

    /// <summary>Stopped after its first fold because it could not reach the leaderboard's top (successive halving).</summary>
    Pruned,

    /// <summary>The learner threw; the error is kept.</summary>
    Failed,

    /// <summary>Stopped by the time budget or Ctrl+C before it finished; not ranked.</summary>
    Cancelled,
}

/// <summary>One trial of a search: a learner and a configuration, scored by cross-validation or on a holdout.</summary>
/// <param name="Number">The trial's number in the search, from 1.</param>
/// <param name="Learner">The learner's zoo name.</param>
/// <param name="Hyperparameters">The configuration tried.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Score">The mean validation score of the search metric over the folds scored (NaN if none).</param>
/// <param name="FoldScores">The score on each fold scored.</param>
/// <param name="Metrics">Every metric computed on the validation predictions, by name (means over folds).</param>
/// <param name="FitSeconds">Mean time to fit one fold.</param>
/// <param name="PredictMicrosecondsPerRow">Mean time to predict one row.</param>
/// <param name="ModelBytes">Size of the saved model, if measured.</param>
/// <param name="Error">Why it failed, for failed trials.</param>
/// <param name="RunId">The tracking run recording it, when tracked.</param>
public sealed record TrialResult(
    int Number,
    string Learner,
    Hyperparameters Hyperparameters,
    TrialStatus Status,
    double Score,
    IReadOnlyList<double> FoldScores,
    IReadOnlyDictionary<string, double> Metrics,
    double FitSeconds,
    double PredictMicrosecondsPerRow,
    long? ModelBytes = null,
    string? Error = null,
    string? RunId = null);
