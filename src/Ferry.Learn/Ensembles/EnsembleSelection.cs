using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;

namespace Ferry.Learn.Ensembles;

/// <summary>An ensemble chosen by <see cref="EnsembleSelection"/>.</summary>
/// <param name="Members">Candidate indexes, each once, in the order they joined (the first is candidate 0).</param>
/// <param name="Weights">Each member's weight: how often it was picked over the picks made; they sum to 1.</param>
/// <param name="Score">The mean over folds of the metric on the weighted average.</param>
/// <param name="FoldScores">The score on each fold.</param>
internal sealed record EnsembleChoice(IReadOnlyList<int> Members, IReadOnlyList<double> Weights, double Score, IReadOnlyList<double> FoldScores);

/// <summary>
/// Greedy ensemble selection with replacement (Caruana, Niculescu-Mizil, Crew and Ksikes, 2004) on out-of-fold
/// predictions. It starts from candidate 0 (the best trial) alone, then each round adds the candidate (a new one or
/// one already in, which raises its weight) whose addition scores best, as long as that beats the ensemble so far.
/// Scores are computed as trials are ranked (the metric per fold, averaged), so the result is never worse than
/// candidate 0 on the rows it was selected on. Those scores flatter it, having chosen the weights; the ensemble
/// competes with <see cref="CrossValidate"/>'s scores instead.
/// </summary>
/// <param name="metric">The search metric.</param>
/// <param name="task">The task.</param>
/// <param name="labels">The label per row of the search rows.</param>
/// <param name="foldRows">Each fold's validation rows.</param>
internal sealed class EnsembleSelection(MetricKind metric, TaskKind task, float[] labels, IReadOnlyList<int[]> foldRows)
{
    /// <summary>The most picks (with repetition): enough for weights in steps of 1/25.</summary>
    public const int MaxRounds = 25;

    private readonly float[][] _foldLabels = [.. foldRows.Select(rows => rows.Select(r => labels[r]).ToArray())];
    private readonly bool _higherIsBetter = MetricCatalog.HigherIsBetter(metric);

    /// <summary>Selects an ensemble from <paramref name="candidates"/>' out-of-fold outputs, best candidate first.</summary>
    /// <param name="candidates">Per candidate, its output per search row (null for rows no fold validated).</param>
    /// <param name="canAdd">Whether a candidate not yet in may join the members given (for example, whether refitting it fits the budget).</param>
    /// <param name="keepGoing">Checked before each round; false stops the selection with the best ensemble so far.</param>
    public EnsembleChoice Select(IReadOnlyList<IReadOnlyList<float[]?>> candidates, Func<int, IReadOnlyCollection<int>, bool>? canAdd = null, Func<bool>? keepGoing = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        var counts = new Dictionary<int, int> { [0] = 1 };
        var order = new List<int> { 0 };
        var (bestScore, bestFolds) = Score(candidates, order, counts);
        var best = new EnsembleChoice([0], [1.0], bestScore, bestFolds);
        for (var round = 1; round < MaxRounds && (keepGoing?.Invoke() ?? true); round++)
        {
            (int Candidate, double Score, double[] Folds)? pick = null;
            for (var c = 0; c < candidates.Count; c++)
            {
                var isNew = !counts.ContainsKey(c);
                if (isNew && canAdd?.Invoke(c, order) == false)
                {
                    continue;
                }

                counts[c] = counts.GetValueOrDefault(c) + 1;
                var (score, folds) = Score(candidates, isNew ? [.. order, c] : order, counts);
                counts[c]--;
                if (counts[c] == 0)
                {
                    counts.Remove(c);
                }

                if (pick is null || IsBetter(score, pick.Value.Score))
                {
                    pick = (c, score, folds);
                }
            }

            if (pick is not { } chosen || !IsBetter(chosen.Score, best.Score))
            {
                break;
            }

            if (!counts.ContainsKey(chosen.Candidate))
            {
                order.Add(chosen.Candidate);
            }

            counts[chosen.Candidate] = counts.GetValueOrDefault(chosen.Candidate) + 1;
            best = new EnsembleChoice([.. order], Weights(order, counts), chosen.Score, chosen.Folds);
        }

        return best;
    }

    /// <summary>The mean fold score of the weighted average of <paramref name="members"/>, and the fold scores.</summary>
    public (double Score, double[] FoldScores) Score(IReadOnlyList<IReadOnlyList<float[]?>> candidates, IReadOnlyList<int> members, IReadOnlyDictionary<int, int> counts)
    {
        var folds = FoldScores(EnsembleAverage.Combine([.. members.Select(m => candidates[m])], Weights(members, counts)));
        return (folds.Average(), folds);
    }

    /// <summary>
    /// The selection's own out-of-fold outputs: each fold's rows get the average that a selection on the other folds
    /// chose. Scored with <see cref="FoldScores"/>, they say how an ensemble selected this way does on rows its weights
    /// never saw, as a trial's folds say how its configuration does. Needs two folds or more.
    /// </summary>
    /// <param name="candidates">As for <see cref="Select"/>.</param>
    /// <param name="canAdd">As for <see cref="Select"/>.</param>
    /// <param name="keepGoing">As for <see cref="Select"/>.</param>
    public float[]?[] CrossValidate(IReadOnlyList<IReadOnlyList<float[]?>> candidates, Func<int, IReadOnlyCollection<int>, bool>? canAdd = null, Func<bool>? keepGoing = null)
    {
        if (foldRows.Count < 2)
        {
            throw new InvalidOperationException("cross-validating the selection needs two folds or more");
        }

        var outputs = new float[]?[labels.Length];
        for (var f = 0; f < foldRows.Count; f++)
        {
            var others = foldRows.Where((_, i) => i != f).ToList();
            var inner = new EnsembleSelection(metric, task, labels, others).Select(candidates, canAdd, keepGoing);
            var combined = EnsembleAverage.Combine([.. inner.Members.Select(m => candidates[m])], inner.Weights);
            foreach (var row in foldRows[f])
            {
                outputs[row] = combined[row];
            }
        }

        return outputs;
    }

    /// <summary>The metric on each fold's rows of <paramref name="outputs"/> (every validated row must have one).</summary>
    public double[] FoldScores(IReadOnlyList<float[]?> outputs)
    {
        var folds = new double[foldRows.Count];
        for (var f = 0; f < folds.Length; f++)
        {
            var rows = foldRows[f].Select(r => outputs[r] ?? throw new InvalidOperationException($"row {r} has no out-of-fold prediction")).ToArray();
            folds[f] = MetricEvaluator.Score(metric, task, _foldLabels[f], rows);
        }

        return folds;
    }

    private static double[] Weights(IReadOnlyList<int> members, IReadOnlyDictionary<int, int> counts)
    {
        double picks = members.Sum(m => counts[m]);
        return [.. members.Select(m => counts[m] / picks)];
    }

    private bool IsBetter(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || (_higherIsBetter ? a > b : a < b));
}
