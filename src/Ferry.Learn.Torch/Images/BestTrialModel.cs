using Ferry.Learn.Search;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Holds the model of the best completed trial so far (ties go to the earlier trial, as on the leaderboard), so the
/// search can package it when there is no time to refit, or after Ctrl+C. Every model it lets go of is disposed.
/// </summary>
internal sealed class BestTrialModel(Leaderboard board) : IDisposable
{
    private readonly Lock _lock = new();
    private ImageTrial? _kept;
    private bool _closed;

    /// <summary>Keeps <paramref name="trial"/>'s model if it beats the one held; disposes the loser.</summary>
    public void Offer(ImageTrial trial)
    {
        ImageTrial? discard = trial;
        lock (_lock)
        {
            if (!_closed && trial.Model is not null && trial.Result.Status == TrialStatus.Completed && (_kept is null || Beats(trial.Result, _kept.Result)))
            {
                (discard, _kept) = (_kept, trial);
            }
        }

        discard?.Model?.Dispose();
    }

    /// <summary>The held trial if it is <paramref name="best"/>; the caller owns its model from then on.</summary>
    public ImageTrial? Take(TrialResult best)
    {
        ArgumentNullException.ThrowIfNull(best);
        lock (_lock)
        {
            _closed = true;
            if (_kept?.Result.Number != best.Number)
            {
                return null;
            }

            var kept = _kept;
            _kept = null;
            return kept;
        }
    }

    /// <summary>Disposes the model still held (a search that failed or whose best was not kept).</summary>
    public void Dispose()
    {
        ImageTrial? kept;
        lock (_lock)
        {
            _closed = true;
            (kept, _kept) = (_kept, null);
        }

        kept?.Model?.Dispose();
    }

    private bool Beats(TrialResult candidate, TrialResult held) =>
        board.IsBetter(candidate.Score, held.Score) || (candidate.Score.Equals(held.Score) && candidate.Number < held.Number);
}
