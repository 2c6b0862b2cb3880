using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// Runs trials until the budget, the trial limit or the candidates run out: the learners' portfolios first,
/// then configurations drawn around the best so far or from the whole space, for learners chosen in proportion
/// to how well they rank. Trials run in parallel; at the deadline or on cancellation the unfinished ones are
/// cancelled and every finished one is kept on the leaderboard.
/// </summary>
internal sealed class TrialScheduler(TimeProvider time, int parallelism, int maxTrials, int seed)
{
    /// <summary>Failed trials, with none that worked, after which a learner is left out of the search.</summary>
    private const int FailuresBeforeGivingUp = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<double>> _trialSeconds = [];
    private readonly HashSet<string> _excluded = [];
    private readonly Dictionary<string, int> _failures = [];
    private readonly HashSet<string> _working = [];
    private int _started;

    /// <summary>How many trials were started (numbered 1 to this); final once <see cref="RunAsync"/> has returned.</summary>
    public int Started
    {
        get
        {
            lock (_lock)
            {
                return _started;
            }
        }
    }

    /// <summary>Runs the search; returns when no trial is running any more.</summary>
    /// <param name="learners">The learners to search over, cheapest first.</param>
    /// <param name="traits">What the portfolios are chosen for.</param>
    /// <param name="runTrial">Fits and scores one trial (cross-validation or holdout), honouring its token.</param>
    /// <param name="leaderboard">Where results go.</param>
    /// <param name="deadline">When no new trial may start and running ones are cancelled, if one has completed.</param>
    /// <param name="budgetEnd">
    /// When running trials are cancelled even if none has completed: a search that would otherwise end with no
    /// model (a cold, loaded machine) lets its first trials run into the budget's reserve.
    /// </param>
    /// <param name="cancellationToken">Ctrl+C: stop, keeping finished trials.</param>
    public async Task RunAsync(
        IReadOnlyList<ILearner> learners,
        DataTraits traits,
        Func<TrialRequest, CancellationToken, Task<TrialResult>> runTrial,
        Leaderboard leaderboard,
        DateTimeOffset deadline,
        DateTimeOffset budgetEnd,
        CancellationToken cancellationToken)
    {
        var candidates = new CandidateSource(learners, traits, leaderboard, seed);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = deadline - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        void StopIfScored()
        {
            if (time.GetUtcNow() >= deadline && leaderboard.Best is not null)
            {
                Cancel(stop);
            }
        }

        void OnChanged(IReadOnlyList<TrialResult> ranked) => StopIfScored();
        leaderboard.Changed += OnChanged;
        using var timer = time.CreateTimer(_ => StopIfScored(), null, remaining, Timeout.InfiniteTimeSpan);
        using var cutoff = time.CreateTimer(_ => Cancel(stop), null, Max(budgetEnd - time.GetUtcNow(), remaining), Timeout.InfiniteTimeSpan);
        var workers = Task.WhenAll(Enumerable.Range(0, Math.Max(1, parallelism))
            .Select(_ => Task.Run(() => WorkAsync(candidates, runTrial, leaderboard, deadline, stop.Token), CancellationToken.None)));
        // Some fits (ML.NET's) cannot be interrupted: after a short grace the search goes on without them, and they
        // end as cancelled trials in the background, so one slow fit cannot push the search past its budget.
        var grace = TimeSpan.FromSeconds(Math.Min(1, remaining.TotalSeconds * 0.05));
        await Task.WhenAny(workers, AfterCancellationAsync(grace, stop.Token));
        leaderboard.Changed -= OnChanged;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task AfterCancellationAsync(TimeSpan grace, CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        await using (token.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task;
        }

        await Task.Delay(grace, time, CancellationToken.None);
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The search already ended.
        }
    }

    private async Task WorkAsync(
        CandidateSource candidates,
        Func<TrialRequest, CancellationToken, Task<TrialResult>> runTrial,
        Leaderboard leaderboard,
        DateTimeOffset deadline,
        CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && NextTrial(candidates, leaderboard, deadline) is { } request)
        {
            var started = time.GetTimestamp();
            TrialResult result;
            try
            {
                result = await runTrial(request, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                result = Ended(request, TrialStatus.Cancelled, "stopped by the time budget or Ctrl+C before it finished");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result = Ended(request, TrialStatus.Failed, e.Message);
            }

            if (result.Status != TrialStatus.Cancelled)
            {
                lock (_lock)
                {
                    CountFailure(request.Learner.Name, result.Status);
                    if (!_trialSeconds.TryGetValue(request.Learner.Name, out var seconds))
                    {
                        _trialSeconds[request.Learner.Name] = seconds = [];
                    }

                    seconds.Add(time.GetElapsedTime(started).TotalSeconds);
                }
            }

            leaderboard.Add(result);
        }
    }

    private TrialRequest? NextTrial(CandidateSource candidates, Leaderboard leaderboard, DateTimeOffset deadline)
    {
        lock (_lock)
        {
            var left = (deadline - time.GetUtcNow()).TotalSeconds;
            while (left > 0 && _started < maxTrials && candidates.Next(_excluded) is { } candidate)
            {
                // A learner whose typical trial would overrun the deadline is not started again: its trials would be cancelled anyway.
                if (_trialSeconds.TryGetValue(candidate.Learner.Name, out var seconds) && seconds.Count > 0 && seconds.Average() > left)
                {
                    _excluded.Add(candidate.Learner.Name);
                    continue;
                }

                _started++;
                return new TrialRequest(_started, candidate.Learner, candidate.Hyperparameters, score => IsPromising(leaderboard, score));
            }

            return null;
        }
    }

    /// <summary>
    /// A learner whose first trials all fail is not tried again (the failures stay on the leaderboard with their
    /// errors): it cannot fit this data, or cannot run on this machine (TorchSharp's natives missing, say), and its
    /// draws would only crowd out the learners that work.
    /// </summary>
    private void CountFailure(string learner, TrialStatus status)
    {
        if (status != TrialStatus.Failed)
        {
            _working.Add(learner);
        }
        else if (!_working.Contains(learner) && (_failures[learner] = _failures.GetValueOrDefault(learner) + 1) >= FailuresBeforeGivingUp)
        {
            _excluded.Add(learner);
        }
    }

    /// <summary>
    /// A first-fold score is promising unless it is worse than the top quarter (at least the top 3) of the first-fold
    /// scores so far, of completed and pruned trials alike (asynchronous successive halving). Like is compared with
    /// like: a mean over every fold would be the bar, and after a hard first fold nothing could pass it.
    /// </summary>
    internal static bool IsPromising(Leaderboard leaderboard, double firstFoldScore)
    {
        var firstFolds = leaderboard.Ranked()
            .Where(t => t.Status is TrialStatus.Completed or TrialStatus.Pruned && t.FoldScores.Count > 0 && !double.IsNaN(t.FoldScores[0]))
            .Select(t => t.FoldScores[0])
            .Order(Comparer<double>.Create((a, b) => leaderboard.IsBetter(a, b) ? -1 : leaderboard.IsBetter(b, a) ? 1 : 0))
            .ToList();
        if (firstFolds.Count < 4)
        {
            return true;
        }

        var bar = firstFolds[Math.Max(2, firstFolds.Count / 4)];
        return !leaderboard.IsBetter(bar, firstFoldScore);
    }

    private static TrialResult Ended(TrialRequest request, TrialStatus status, string error) =>
        new(request.Number, request.Learner.Name, request.Hyperparameters, status, double.NaN, [], new Dictionary<string, double>(), 0, 0, Error: error);
}
