using System.Globalization;

namespace Ferry.Learn.Search;

/// <summary>
/// How the winning trial becomes the model that ships, so that it is ready within the budget: refit on every search
/// row when its estimated refit fits in the time left; else its own fold models as they are, when they were kept
/// (the holdout's model, or the k fold models averaged); else the best-ranked trial whose refit fits, else the
/// quickest to refit. Anything but the first is stated as a default, with the times. A refit is estimated as the
/// trial's fold fit time scaled from a fold's training rows to all search rows.
/// </summary>
internal static class RefitChoice
{
    /// <summary>The trial to ship, whether its kept fold models ship instead of a refit, and why when it is not simply the best refit.</summary>
    /// <param name="ranked">The leaderboard, best first.</param>
    /// <param name="data">The search rows and folds.</param>
    /// <param name="left">The time left until the budget ends.</param>
    /// <param name="hasFoldModels">Whether a trial's fold models were kept.</param>
    public static (TrialResult Trial, bool FoldModels, DefaultChoice? Reason) Pick(IReadOnlyList<TrialResult> ranked, SearchData data, TimeSpan left, Func<int, bool> hasFoldModels)
    {
        var completed = ranked.Where(t => t.Status == TrialStatus.Completed && !double.IsNaN(t.Score)).ToList();
        var best = completed[0];
        var scale = Scale(data);
        if (best.FitSeconds * scale <= left.TotalSeconds)
        {
            return (best, false, null);
        }

        var tooSlow = string.Create(CultureInfo.InvariantCulture,
            $"refitting trial {best.Number} ({best.Learner}, validation {best.Score:0.####}) on every row would take about {best.FitSeconds * scale:0.#} s, more than the {Math.Max(0, left.TotalSeconds):0.#} s left of the budget");
        if (hasFoldModels(best.Number))
        {
            var models = data.Folds.Count == 1
                ? string.Create(CultureInfo.InvariantCulture, $"its model fitted on the holdout's {data.Folds[0].Train.Length:N0} training rows ships as it is")
                : string.Create(CultureInfo.InvariantCulture, $"its {data.Folds.Count} fold models, each fitted on {1 - (1.0 / data.Folds.Count):0%} of the rows, ship averaged");
            return (best, true, new DefaultChoice("refit", "none", $"{tooSlow}; {models}. Give more time with --time to refit"));
        }

        var chosen = completed.FirstOrDefault(t => t.FitSeconds * scale <= left.TotalSeconds) ?? completed.MinBy(t => t.FitSeconds)!;
        if (chosen.Number == best.Number)
        {
            return (best, false, null);
        }

        return (chosen, false, new DefaultChoice("refit", $"trial {chosen.Number}", string.Create(CultureInfo.InvariantCulture,
            $"{tooSlow}; trial {chosen.Number} ({chosen.Learner}, validation {chosen.Score:0.####}) refits in about {chosen.FitSeconds * scale:0.#} s. Give more time with --time to refit the best")));
    }

    /// <summary>How much longer a fit on every search row takes than a fold's fit: all rows over a fold's training rows (at least 1).</summary>
    public static double Scale(SearchData data)
    {
        var trainRows = data.Folds.Average(f => (double)f.Train.Length);
        return trainRows > 0 ? Math.Max(1, data.Unscaled.Labels.Length / trainRows) : 1;
    }
}
