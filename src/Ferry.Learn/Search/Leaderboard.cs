using Ferry.Learn.Evaluation;

namespace Ferry.Learn.Search;

/// <summary>
/// The trials of a search ranked by score, best first. Ties go to the lower log loss, then to the earlier trial (so a
/// deterministic search ranks the same way on any machine): accuracy on small folds ties often (a dozen trials at
/// 1.0 on penguins), and of equally accurate models the one with the better probabilities is the better model.
/// Thread-safe: trials finishing in parallel add themselves; readers get snapshots.
/// </summary>
public sealed class Leaderboard(bool higherIsBetter)
{
    private readonly List<TrialResult> _trials = [];
    private readonly Lock _lock = new();

    /// <summary>Whether a larger score is better (false for losses and errors).</summary>
    public bool HigherIsBetter { get; } = higherIsBetter;

    /// <summary>Raised after a trial is added, with the new snapshot (for live tables).</summary>
    public event Action<IReadOnlyList<TrialResult>>? Changed;

    /// <summary>Adds a finished trial.</summary>
    public void Add(TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        IReadOnlyList<TrialResult> snapshot;
        lock (_lock)
        {
            _trials.Add(trial);
            snapshot = RankedLocked();
        }

        Changed?.Invoke(snapshot);
    }

    /// <summary>Every trial, ranked: scored trials best first, then pruned, failed and cancelled ones by number.</summary>
    public IReadOnlyList<TrialResult> Ranked()
    {
        lock (_lock)
        {
            return RankedLocked();
        }
    }

    /// <summary>The best completed trial, or null if none completed.</summary>
    public TrialResult? Best => Ranked().FirstOrDefault(t => t.Status == TrialStatus.Completed);

    /// <summary>How many trials were added.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _trials.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/> (NaN is worst).</summary>
    public bool IsBetter(double a, double b) =>
        !double.IsNaN(a) && (double.IsNaN(b) || (HigherIsBetter ? a > b : a < b));

    /// <summary>The trial's log loss (regression has none: every trial ties on it).</summary>
    private static double TieBreak(TrialResult trial) =>
        trial.Metrics.TryGetValue(TieBreakMetric, out var value) && !double.IsNaN(value) ? value : double.PositiveInfinity;

    private static readonly string TieBreakMetric = MetricCatalog.NameOf(MetricKind.LogLoss);

    private List<TrialResult> RankedLocked() =>
    [
        .. _trials.Where(t => t.Status == TrialStatus.Completed && !double.IsNaN(t.Score))
            .OrderBy(t => HigherIsBetter ? -t.Score : t.Score)
            .ThenBy(TieBreak)
            .ThenBy(t => t.Number),
        .. _trials.Where(t => t.Status != TrialStatus.Completed || double.IsNaN(t.Score))
            .OrderBy(t => t.Status)
            .ThenBy(t => t.Number),
    ];
}
