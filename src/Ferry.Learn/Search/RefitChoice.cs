using System.Globalization;

namespace Ferry.Learn.Search;

/// <summary>
/// Which trial is refit on every search row, so that the refit ends within the budget: the best one when its
/// estimated refit fits in the time left, else the best-ranked one whose refit does (stated as a default, with the
/// scores), else the quickest to refit. A trial's refit is estimated as its fold fit time scaled from a fold's
/// training rows to all search rows.
/// </summary>
internal static class RefitChoice
{
    /// <summary>The trial to refit, with the default choice that explains a change of trial (null when the best is kept).</summary>
    /// <param name="ranked">The leaderboard, best first.</param>
    /// <param name="data">The search rows and folds.</param>
    /// <param name="left">The time left until the budget ends.</param>
    public static (TrialResult Trial, DefaultChoice? Reason) Pick(IReadOnlyList<TrialResult> ranked, SearchData data, TimeSpan left)
    {
        var completed = ranked.Where(t => t.Status == TrialStatus.Completed && !double.IsNaN(t.Score)).ToList();
        var best = completed[0];
        var scale = Scale(data);
        if (best.FitSeconds * scale <= left.TotalSeconds)
        {
            return (best, null);
        }

        var chosen = completed.FirstOrDefault(t => t.FitSeconds * scale <= left.TotalSeconds) ?? completed.MinBy(t => t.FitSeconds)!;
        if (chosen.Number == best.Number)
        {
            return (best, null);
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"refitting trial {best.Number} ({best.Learner}, validation {best.Score:0.####}) on every row would take about {best.FitSeconds * scale:0.#} s, more than the {Math.Max(0, left.TotalSeconds):0.#} s left of the budget; trial {chosen.Number} ({chosen.Learner}, validation {chosen.Score:0.####}) refits in about {chosen.FitSeconds * scale:0.#} s. Give more time with --time to refit the best");
        return (chosen, new DefaultChoice("refit", $"trial {chosen.Number}", reason));
    }

    /// <summary>How much longer a fit on every search row takes than a fold's fit: all rows over a fold's training rows (at least 1).</summary>
    public static double Scale(SearchData data)
    {
        var trainRows = data.Folds.Average(f => (double)f.Train.Length);
        return trainRows > 0 ? Math.Max(1, data.Unscaled.Labels.Length / trainRows) : 1;
    }
}
