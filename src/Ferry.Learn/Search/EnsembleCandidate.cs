using System.Globalization;
using Ferry.Learn.Ensembles;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// The ensemble a search puts on its leaderboard after the trials: greedy ensemble selection over the out-of-fold
/// predictions of the best distinct trials, scored as trials are (the search metric per fold, averaged) on rows the
/// weights were not chosen on, listed as learner <c>ensemble</c> with its members and weights as hyperparameters.
/// </summary>
/// <param name="Result">Its leaderboard entry.</param>
/// <param name="Members">The trials it averages, in averaging order (the best trial first).</param>
/// <param name="Weights">Each member's weight; they sum to 1.</param>
/// <param name="OutOfFold">The cross-validated selection's outputs per row (null for rows no fold validated), for the decision threshold.</param>
internal sealed record EnsembleCandidate(TrialResult Result, IReadOnlyList<TrialResult> Members, IReadOnlyList<double> Weights, float[]?[] OutOfFold)
{
    /// <summary>How many trials the selection may draw from: each learner's best, then the best of the rest.</summary>
    public const int MaxCandidates = 10;

    /// <summary>
    /// Selects an ensemble from the best completed trials with out-of-fold predictions, within the budget: the selection
    /// may use a fifth of the time left, and its members' refit must fit in half of it (at <paramref name="parallelism"/>
    /// fits at once, each estimated from its trial's fold fit time), leaving the rest for test scoring and packaging.
    /// Null when fewer than two distinct trials are available, no second member improves on the best trial alone, or a
    /// holdout has fewer than 4 validation rows to cross-validate the selection on.
    /// </summary>
    /// <param name="ranked">The leaderboard, best first.</param>
    /// <param name="outOfFold">Out-of-fold outputs by trial number.</param>
    /// <param name="data">The search rows and folds.</param>
    /// <param name="metric">The search metric.</param>
    /// <param name="number">The number the ensemble gets on the leaderboard (after every trial's).</param>
    /// <param name="time">The clock.</param>
    /// <param name="budgetEnd">When the whole search, packaging included, must be done.</param>
    /// <param name="parallelism">How many refits run at once.</param>
    public static EnsembleCandidate? Build(IReadOnlyList<TrialResult> ranked, IReadOnlyDictionary<int, float[][]> outOfFold, SearchData data, MetricKind metric,
        int number, TimeProvider time, DateTimeOffset budgetEnd, int parallelism)
    {
        var now = time.GetUtcNow();
        var left = budgetEnd - now;
        var selectionEnd = now + (left * 0.2);
        return Build(ranked, outOfFold, data, metric, number, left * 0.5, parallelism, () => time.GetUtcNow() < selectionEnd);
    }

    /// <summary>Selects an ensemble as <see cref="Build(IReadOnlyList{TrialResult}, IReadOnlyDictionary{int, float[][]}, SearchData, MetricKind, int, TimeProvider, DateTimeOffset, int)"/> does, with explicit limits.</summary>
    /// <param name="ranked">The leaderboard, best first.</param>
    /// <param name="outOfFold">Out-of-fold outputs by trial number.</param>
    /// <param name="data">The search rows and folds.</param>
    /// <param name="metric">The search metric.</param>
    /// <param name="number">The number the ensemble gets on the leaderboard.</param>
    /// <param name="refitTime">The time the members' refit may take, at <paramref name="parallelism"/> fits at once; members that would overrun it are not added.</param>
    /// <param name="parallelism">How many refits run at once.</param>
    /// <param name="keepGoing">False stops the selection with the best ensemble found so far (a deadline).</param>
    public static EnsembleCandidate? Build(IReadOnlyList<TrialResult> ranked, IReadOnlyDictionary<int, float[][]> outOfFold, SearchData data, MetricKind metric,
        int number, TimeSpan refitTime, int parallelism, Func<bool> keepGoing)
    {
        var pool = new List<(TrialResult Trial, float[][] Outputs)>();
        var completed = ranked.Where(t => t.Status == TrialStatus.Completed && !double.IsNaN(t.Score)).ToList();

        // Each learner's best first (in rank order, so the overall best stays first), then the next best: the top ten
        // trials are often one family's near-copies, and averaging different families is what lowers the error.
        foreach (var trial in completed.GroupBy(t => t.Learner).Select(g => g.First()).Concat(completed))
        {
            // Distinct predictions: a configuration that predicts exactly like a better one adds nothing but refit time.
            if (outOfFold.TryGetValue(trial.Number, out var outputs) && !pool.Any(p => SameOutputs(p.Outputs, outputs)))
            {
                pool.Add((trial, outputs));
            }

            if (pool.Count == MaxCandidates)
            {
                break;
            }
        }

        if (pool.Count < 2)
        {
            return null;
        }

        var labels = data.Unscaled.Labels;
        var scale = RefitChoice.Scale(data);
        double Cost(int candidate) => pool[candidate].Trial.FitSeconds * scale;
        bool CanAdd(int candidate, IReadOnlyCollection<int> members)
        {
            // Refits run side by side: the slowest one, or the total shared among the parallel slots, whichever is longer.
            var costs = members.Append(candidate).Select(Cost).ToList();
            return Math.Max(costs.Max(), costs.Sum() / Math.Clamp(parallelism, 1, costs.Count)) <= refitTime.TotalSeconds;
        }

        var foldRows = data.Folds.Select(f => f.Validation).ToList();
        var selection = new EnsembleSelection(metric, data.Unscaled.Task, labels, foldRows);
        var candidates = pool.Select(p => (IReadOnlyList<float[]?>)p.Outputs).ToList();
        var choice = selection.Select(candidates, CanAdd, keepGoing);
        if (choice.Members.Count < 2 || (foldRows.Count == 1 && foldRows[0].Length < 4))
        {
            return null;
        }

        // The weights were chosen on these very predictions, so the selection's own score flatters the ensemble (on
        // 353 diabetes rows: R² 0.545 against 0.30 on the test set). It competes with the score of the same selection
        // cross-validated: each fold scored by weights chosen on the other folds (a holdout by weights chosen on the
        // other half of its rows).
        var parts = foldRows.Count > 1 ? foldRows : Halves(foldRows[0]);
        var honest = new EnsembleSelection(metric, data.Unscaled.Task, labels, parts).CrossValidate(candidates, CanAdd, keepGoing);
        var foldScores = selection.FoldScores(honest);
        var members = choice.Members.Select(i => pool[i].Trial).ToList();
        var result = new TrialResult(
            number,
            EnsemblePredictor.LearnerName,
            Describe(members, choice.Weights),
            TrialStatus.Completed,
            foldScores.Average(),
            foldScores,
            Metrics(data, honest, foldRows),
            members.Sum(m => m.FitSeconds),
            members.Sum(m => m.PredictMicrosecondsPerRow),
            members.All(m => m.ModelBytes is not null) ? members.Sum(m => m.ModelBytes!.Value) : null);
        return new EnsembleCandidate(result, members, choice.Weights, honest);
    }

    /// <summary>The ensemble's "hyperparameters": <c>members=lightgbm#3 sdca#7, weights=0.6 0.4</c>.</summary>
    internal static Hyperparameters Describe(IReadOnlyList<TrialResult> members, IReadOnlyList<double> weights) => new(
    [
        KeyValuePair.Create("members", string.Join(" ", members.Select(m => $"{m.Learner}#{m.Number.ToString(CultureInfo.InvariantCulture)}"))),
        KeyValuePair.Create("weights", string.Join(" ", weights.Select(w => w.ToString("0.###", CultureInfo.InvariantCulture)))),
    ]);

    /// <summary>Every reported metric on the combined outputs, averaged over folds as for trials.</summary>
    private static Dictionary<string, double> Metrics(SearchData data, float[]?[] combined, List<int[]> foldRows)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var rows in foldRows)
        {
            var labels = rows.Select(r => data.Unscaled.Labels[r]).ToArray();
            foreach (var (kind, value) in MetricEvaluator.ScoreAll(data.Unscaled.Task, labels, [.. rows.Select(r => combined[r]!)]))
            {
                sums[MetricCatalog.NameOf(kind)] = sums.GetValueOrDefault(MetricCatalog.NameOf(kind)) + value;
            }
        }

        return sums.ToDictionary(p => p.Key, p => p.Value / foldRows.Count, StringComparer.Ordinal);
    }

    /// <summary>A holdout's rows in two interleaved halves, so that each half can be scored by weights chosen on the other.</summary>
    private static List<int[]> Halves(int[] rows) => [[.. rows.Where((_, i) => i % 2 == 0)], [.. rows.Where((_, i) => i % 2 == 1)]];

    private static bool SameOutputs(float[][] a, float[][] b)
    {
        for (var r = 0; r < a.Length; r++)
        {
            if (a[r] is null != b[r] is null || (a[r] is { } row && !row.AsSpan().SequenceEqual(b[r])))
            {
                return false;
            }
        }

        return true;
    }
}
