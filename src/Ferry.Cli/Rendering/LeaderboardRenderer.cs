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
        var rank = 0;
        foreach (var trial in ranked.Take(rows))
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
                Markup.Escape(Shorten(trial.Error ?? trial.Hyperparameters.ToString(), 60)));
        }

        return table;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
