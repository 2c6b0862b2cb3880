using Ferry.Cli.Rendering;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Cli.Tests;

public sealed class LeaderboardRendererTests
{
    private static TrialResult Trial(int number, string learner, double score, params (string Name, string Value)[] values) =>
        new(number, learner, new Hyperparameters(values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))), TrialStatus.Completed, score, [score],
            new Dictionary<string, double>(), 1, 1);

    private static string Render(params TrialResult[] trials)
    {
        var output = new StringWriter();
        CliConsole.ForWriters(output, new StringWriter()).Out.Write(LeaderboardRenderer.Render(trials, "accuracy"));
        return output.ToString();
    }

    [Fact]
    public void The_configuration_column_shows_what_differs_between_a_learners_trials_and_everything_for_a_lone_trial()
    {
        var text = Render(
            Trial(1, "cnn", 0.99, ("blocks", "3"), ("epochs", "60"), ("shift", "1")),
            Trial(2, "cnn", 0.98, ("blocks", "2"), ("epochs", "60"), ("shift", "1")),
            Trial(3, "lightgbm", 0.97, ("leaves", "31")));

        Assert.Contains("blocks=3", text, StringComparison.Ordinal);
        Assert.Contains("blocks=2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("epochs=60", text, StringComparison.Ordinal);
        Assert.Contains("leaves=31", text, StringComparison.Ordinal);
        Assert.Contains("epochs=60", Render(Trial(1, "cnn", 0.99, ("blocks", "3"), ("epochs", "60"))), StringComparison.Ordinal);
    }
}
