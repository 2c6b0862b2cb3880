using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// One trial the scheduler asks for. <see cref="KeepGoing"/> implements successive halving: after its first
/// fold, a trial passes that fold's score and stops (as <see cref="TrialStatus.Pruned"/>) when told to.
/// </summary>
/// <param name="Number">The trial's number, from 1.</param>
/// <param name="Learner">The learner to fit.</param>
/// <param name="Hyperparameters">The configuration to fit it with.</param>
/// <param name="KeepGoing">Whether a first-fold score is promising enough to score the other folds.</param>
public sealed record TrialRequest(int Number, ILearner Learner, Hyperparameters Hyperparameters, Func<double, bool> KeepGoing);
