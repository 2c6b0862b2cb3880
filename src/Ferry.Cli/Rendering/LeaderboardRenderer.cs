using System.Globalization;
using Ferry.Learn.Search;
using Spectre.Console;

namespace Ferry.Cli.Rendering;

/// <summary>The search leaderboard as a Spectre.Console table: rank, learner, score, folds, fit time, configuration.</summary>
internal static class LeaderboardRenderer
{
    public static Table Render(IReadOnlyList<TrialResult> ranked, string metric, int rows = 10, string? status = null)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        if (status is not null)
        {
            table.Title(Markup.Escape(status));
        }

        table.AddColumns("#", "Trial", "Learner", Markup.Escape(metric), "Folds", "Fit s", "Status", "Configuration");
        var shown = ranked.Take(rows).ToList();
        var varying = Varying(shown);
        var rank = 0;
        foreach (var trial in shown)
        {
            rank++;
            var scored = trial.Status == TrialStatus.Completed;
            table.AddRow(
                scored ? rank.ToString(CultureInfo.InvariantCulture) : "",
                trial.Number.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(trial.Learner),
                double.IsNaN(trial.Score) ? "" : trial.Score.ToString("0.0000", CultureInfo.InvariantCulture),
                trial.FoldScores.Count.ToString(CultureInfo.InvariantCulture),
                trial.FitSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                scored && rank == 1 ? "[green]best[/]" : trial.Status.ToString().ToLowerInvariant(),
                Markup.Escape(Shorten(trial.Error ?? Configuration(trial, varying), 60)));
        }

        return table;
    }

    /// <summary>
    /// The settings that differ between the shown trials of a learner: the ones a reader compares. Settings every
    /// trial shares (an image search's augmentation, epochs, patience) would only push them out of the column.
    /// </summary>
    private static HashSet<(string Learner, string Name)> Varying(List<TrialResult> trials) =>
    [
        .. trials.GroupBy(t => t.Learner)
            .SelectMany(g => g.SelectMany(t => t.Hyperparameters.Values)
                .GroupBy(p => p.Key)
                .Where(p => p.Count() < g.Count() || p.Select(v => v.Value).Distinct().Skip(1).Any())
                .Select(p => (g.Key, p.Key))),
    ];

    private static string Configuration(TrialResult trial, HashSet<(string Learner, string Name)> varying)
    {
        var values = trial.Hyperparameters.Values.Where(p => varying.Contains((trial.Learner, p.Key))).ToList();
        return values.Count == 0 ? trial.Hyperparameters.ToString() : string.Join(", ", values.Select(p => $"{p.Key}={p.Value}"));
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
