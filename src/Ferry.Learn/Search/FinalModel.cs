using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// The search's winner made into the model it ships: the best trial's configuration, or each member of the winning
/// ensemble, refit on every search row (each learner behind its own scaled or unscaled featurizer), or, when there is
/// no time left to refit, the best trial's own fold models; with the binary decision threshold tuned on the winner's
/// out-of-fold probabilities. Scores the test rows and writes the package.
/// </summary>
internal sealed class FinalModel : IDisposable
{
    private readonly TabularPredictor? _single;
    private readonly EnsemblePredictor? _ensemble;

    private FinalModel(TabularPredictor? single, EnsemblePredictor? ensemble, double threshold)
    {
        _single = single;
        _ensemble = ensemble;
        Threshold = threshold;
    }

    /// <summary>The predictor over raw rows.</summary>
    public IPredictor Predictor => (IPredictor?)_single ?? _ensemble!;

    /// <summary>The tuned decision threshold (0.5 unless binary and tuned).</summary>
    public double Threshold { get; }

    /// <summary>Refits the winner. Never cancelled: a package is the point of the search, even after Ctrl+C.</summary>
    /// <param name="winner">The leaderboard's best entry: a trial, or <paramref name="ensemble"/>'s entry.</param>
    /// <param name="ensemble">The ensemble candidate, if one was built.</param>
    /// <param name="outOfFold">The winner's out-of-fold outputs, for the threshold.</param>
    /// <param name="learners">The searched learners, by name.</param>
    /// <param name="prepared">The search rows, featurizer and defaults (a tuned threshold is added to them).</param>
    /// <param name="metric">The search metric.</param>
    /// <param name="seed">The seed each refit uses.</param>
    /// <param name="parallelism">How many ensemble members refit at once.</param>
    /// <param name="foldModels">The winning trial's own fold models, to ship instead of a refit (taken over: disposed with the model); null to refit.</param>
    public static async Task<FinalModel> FitAsync(TrialResult winner, EnsembleCandidate? ensemble, IReadOnlyList<float[]?>? outOfFold, IReadOnlyList<ILearner> learners,
        PreparedSearch prepared, MetricKind metric, int seed, int parallelism, IFittedModel[]? foldModels = null)
    {
        var schema = prepared.Analysis.Schema;
        var threshold = TuneThreshold(schema.Task, metric, prepared, outOfFold);
        if (foldModels is not null)
        {
            return FromFoldModels(winner, foldModels, learners, prepared, threshold);
        }

        if (ensemble is null || winner.Number != ensemble.Result.Number)
        {
            return new FinalModel(await RefitAsync(winner, learners, prepared, threshold, seed), null, threshold);
        }

        var members = new TabularPredictor?[ensemble.Members.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        try
        {
            await Task.WhenAll(ensemble.Members.Select(async (member, i) =>
            {
                await slots.WaitAsync(CancellationToken.None);
                try
                {
                    members[i] = await RefitAsync(member, learners, prepared, 0.5, seed);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        catch
        {
            foreach (var member in members)
            {
                member?.Dispose();
            }

            throw;
        }

        var predictor = new EnsemblePredictor(
            [.. members.Select((m, i) => new EnsembleMember(m!, ensemble.Members[i].Learner, ensemble.Weights[i], ensemble.Members[i].Number))],
            prepared.Featurizer.Signature(schema),
            threshold);
        return new FinalModel(null, predictor, threshold);
    }

    /// <summary>The raw outputs per row (probability rows, or one value for regression).</summary>
    public async Task<float[][]> ScoreAsync(Table rows, CancellationToken cancellationToken) =>
        _single is not null ? _single.Score(rows) : await _ensemble!.ScoreAsync(rows, cancellationToken);

    /// <summary>Writes the package: a tabular package of the learner's flavor, or an <c>ensemble</c> package.</summary>
    public async Task WriteAsync(string folder, TrainingInfo training, ReferenceProfile reference, CancellationToken cancellationToken)
    {
        if (_single is not null)
        {
            await TabularPackage.WriteAsync(folder, _single, training, reference, cancellationToken);
        }
        else
        {
            await EnsemblePackage.WriteAsync(folder, _ensemble!, training, reference, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Predictor.Dispose();

    /// <summary>
    /// A trial's fold models as the shipped model: a holdout's single model as it is, or k fold models averaged with
    /// equal weights (bagging; each saw a different (k-1)/k of the rows), which ships as an <c>ensemble</c> package.
    /// </summary>
    private static FinalModel FromFoldModels(TrialResult trial, IFittedModel[] models, IReadOnlyList<ILearner> learners, PreparedSearch prepared, double threshold)
    {
        var learner = learners.First(l => l.Name == trial.Learner);
        var featurizer = prepared.Featurizer.WithScaling(learner.NeedsScaling);
        var schema = prepared.Analysis.Schema;
        if (models.Length == 1)
        {
            return new FinalModel(TabularPredictor.Create(learner, featurizer, models[0], schema, threshold), null, threshold);
        }

        var members = models.Select(m => new EnsembleMember(TabularPredictor.Create(learner, featurizer, m, schema, 0.5), learner.Name, 1.0 / models.Length, trial.Number));
        return new FinalModel(null, new EnsemblePredictor([.. members], prepared.Featurizer.Signature(schema), threshold), threshold);
    }

    private static async Task<TabularPredictor> RefitAsync(TrialResult trial, IReadOnlyList<ILearner> learners, PreparedSearch prepared, double threshold, int seed)
    {
        var learner = learners.First(l => l.Name == trial.Learner);
        var model = await learner.FitAsync(prepared.Data.For(learner), trial.Hyperparameters, seed, CancellationToken.None);
        return TabularPredictor.Create(learner, prepared.Featurizer.WithScaling(learner.NeedsScaling), model, prepared.Analysis.Schema, threshold);
    }

    /// <summary>Tunes the binary threshold on the rows that have out-of-fold predictions (all of them under k-fold, the validation rows of a holdout).</summary>
    private static double TuneThreshold(TaskKind task, MetricKind metric, PreparedSearch prepared, IReadOnlyList<float[]?>? outOfFold)
    {
        if (task != TaskKind.Binary || outOfFold is null)
        {
            return 0.5;
        }

        var rows = Enumerable.Range(0, outOfFold.Count).Where(r => outOfFold[r] is not null).ToArray();
        if (rows.Length == 0)
        {
            return 0.5;
        }

        var labels = prepared.Data.Unscaled.Labels;
        var thresholdMetric = ThresholdTuner.MetricFor(metric, prepared.Traits);
        var tuned = ThresholdTuner.Tune([.. rows.Select(r => labels[r])], [.. rows.Select(r => outOfFold[r]!)], thresholdMetric);
        prepared.Defaults.Add(new("threshold", tuned.Threshold.ToString("0.###", CultureInfo.InvariantCulture),
            $"binary task: the decision threshold maximises {MetricCatalog.NameOf(tuned.Metric)} on out-of-fold validation predictions"));
        return tuned.Threshold;
    }
}
