using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// The fold models of the best trial so far, so that the search can ship them when there is no time left to refit
/// the winner on every row. Completed trials offer their models; each leaderboard change keeps the best-ranked
/// trial that has models (and trials not ranked yet) and disposes the rest. Thread-safe.
/// </summary>
internal sealed class FoldModels : IDisposable
{
    private readonly Dictionary<int, IFittedModel[]> _kept = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Takes ownership of a completed trial's fold models until the leaderboard ranks it.</summary>
    public void Offer(int trial, IFittedModel[] models)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _kept[trial] = models;
                return;
            }
        }

        // A trial that finishes after the search has ended (it outlived the deadline's grace): nobody will use them.
        DisposeAll([models]);
    }

    /// <summary>Whether the models of <paramref name="trial"/> are kept.</summary>
    public bool Has(int trial)
    {
        lock (_lock)
        {
            return _kept.ContainsKey(trial);
        }
    }

    /// <summary>Keeps the best-ranked trial's models and those of trials not on <paramref name="ranked"/> yet; disposes the others.</summary>
    public void Prune(IReadOnlyList<TrialResult> ranked)
    {
        List<IFittedModel[]> dropped = [];
        lock (_lock)
        {
            var best = ranked.FirstOrDefault(t => t.Status == TrialStatus.Completed && _kept.ContainsKey(t.Number))?.Number;
            foreach (var trial in ranked.Select(t => t.Number).Where(n => n != best && _kept.ContainsKey(n)))
            {
                dropped.Add(_kept[trial]);
                _kept.Remove(trial);
            }
        }

        DisposeAll(dropped);
    }

    /// <summary>Hands over the models of <paramref name="trial"/> (the caller disposes them); null when they are not kept.</summary>
    public IFittedModel[]? Take(int trial)
    {
        lock (_lock)
        {
            return _kept.Remove(trial, out var models) ? models : null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<IFittedModel[]> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _kept.Values];
            _kept.Clear();
        }

        DisposeAll(all);
    }

    private static void DisposeAll(IEnumerable<IFittedModel[]> models)
    {
        foreach (var model in models.SelectMany(m => m))
        {
            model.Dispose();
        }
    }
}
