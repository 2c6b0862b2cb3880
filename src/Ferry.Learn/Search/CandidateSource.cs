using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// The order in which a search tries configurations: every learner's portfolio first (interleaved, so each
/// family gets an early score), then, per draw, a learner chosen with weight by its rank and either a step
/// around its best configuration or a fresh draw from its space. Not thread-safe; the scheduler locks.
/// </summary>
internal sealed class CandidateSource
{
    private readonly IReadOnlyList<ILearner> _learners;
    private readonly Leaderboard _leaderboard;
    private readonly Queue<(ILearner Learner, Hyperparameters Hyperparameters)> _portfolio = new();
    private readonly ConfigurationSampler _sampler;
    private readonly Random _random;
    private readonly HashSet<string> _tried = [];

    public CandidateSource(IReadOnlyList<ILearner> learners, DataTraits traits, Leaderboard leaderboard, int seed)
    {
        _learners = learners;
        _leaderboard = leaderboard;
        _sampler = new ConfigurationSampler(seed);
        _random = new Random(seed ^ 0x5eed);
        var portfolios = learners.Select(l => (Learner: l, Configs: l.Portfolio(traits))).ToList();
        for (var i = 0; portfolios.Any(p => i < p.Configs.Count); i++)
        {
            foreach (var (learner, configs) in portfolios.Where(p => i < p.Configs.Count))
            {
                _portfolio.Enqueue((learner, configs[i]));
            }
        }
    }

    /// <summary>The next configuration to try, skipping learners in <paramref name="excluded"/>; null when none is left.</summary>
    public (ILearner Learner, Hyperparameters Hyperparameters)? Next(IReadOnlySet<string> excluded)
    {
        while (_portfolio.TryDequeue(out var fixedCandidate))
        {
            if (!excluded.Contains(fixedCandidate.Learner.Name) && _tried.Add(Key(fixedCandidate.Learner, fixedCandidate.Hyperparameters)))
            {
                return fixedCandidate;
            }
        }

        var open = _learners.Where(l => !excluded.Contains(l.Name) && l.Space.Count > 0).ToList();
        // A few attempts: a draw may repeat a tried configuration (small choice spaces).
        for (var attempt = 0; open.Count > 0 && attempt < 20; attempt++)
        {
            var learner = Pick(open);
            var best = _leaderboard.Ranked().FirstOrDefault(t => t.Learner == learner.Name && t.Status == TrialStatus.Completed);
            var config = best is not null && _random.NextDouble() < 0.5
                ? _sampler.Perturb(learner.Space, best.Hyperparameters)
                : _sampler.Draw(learner.Space);
            if (_tried.Add(Key(learner, config)))
            {
                return (learner, config);
            }
        }

        return null;
    }

    /// <summary>Learners weighted by rank of their best trial (best gets the most), unscored ones in the middle.</summary>
    private ILearner Pick(List<ILearner> open)
    {
        var ranked = _leaderboard.Ranked().Where(t => t.Status == TrialStatus.Completed).Select(t => t.Learner).Distinct().ToList();
        var weights = open.Select(l => ranked.IndexOf(l.Name) is var rank and >= 0 ? 1.0 / (rank + 1) : 0.5).ToArray();
        var pick = _random.NextDouble() * weights.Sum();
        for (var i = 0; i < open.Count; i++)
        {
            pick -= weights[i];
            if (pick <= 0)
            {
                return open[i];
            }
        }

        return open[^1];
    }

    private static string Key(ILearner learner, Hyperparameters hyperparameters) => $"{learner.Name}|{hyperparameters}";
}
