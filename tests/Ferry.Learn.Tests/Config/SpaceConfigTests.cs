using Ferry.Learn.Config;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Config;

public sealed class SpaceConfigTests
{
    private const string Yaml = """
        label: y
        space:
          lightgbm:
            learning_rate: 0.05
            num_leaves: [8, 64]
          sdca: {l2: [0.001, 0.01, 0.1]}
        seed: 3
        """;

    private static FerryException CheckError(string yaml)
    {
        var config = TrainingConfigReader.Parse(yaml, "ferry.yaml");
        return Assert.Throws<FerryException>(() => SpaceOverrides.Resolve(MlNetZoo.All, config.Space));
    }

    [Fact]
    public void Space_entries_keep_their_values_kinds_and_lines()
    {
        var space = TrainingConfigReader.Parse(Yaml, "ferry.yaml").Space!;

        Assert.Equal(3, space.Count);
        Assert.Equal(new SpaceOverride("lightgbm", "learning_rate", space[0].Values, false, new SourceLocation("ferry.yaml", 4), new SourceLocation("ferry.yaml", 3)), space[0]);
        Assert.Equal(["0.05"], space[0].Values);
        Assert.Equal(("num_leaves", true, 5L), (space[1].Parameter, space[1].IsList, space[1].Location!.Line!.Value));
        Assert.Equal(["8", "64"], space[1].Values);
        Assert.Equal(("sdca", "l2", 6L), (space[2].Learner, space[2].Parameter, space[2].Location!.Line!.Value));
        Assert.Equal("[0.001, 0.01, 0.1]", space[2].Text);
    }

    [Fact]
    public void Values_become_pins_ranges_and_choices_of_the_learners_space()
    {
        var resolved = SpaceOverrides.Resolve(MlNetZoo.All, TrainingConfigReader.Parse(Yaml, "ferry.yaml").Space);

        Assert.Equal(["0.05"], resolved["lightgbm"]["learning_rate"].Choices);
        Assert.Equal(ParameterScale.Choice, resolved["lightgbm"]["learning_rate"].Scale);
        Assert.Equal((ParameterScale.LogWhole, 8.0, 64.0), (resolved["lightgbm"]["num_leaves"].Scale, resolved["lightgbm"]["num_leaves"].Min, resolved["lightgbm"]["num_leaves"].Max));
        Assert.Equal(["0.001", "0.01", "0.1"], resolved["sdca"]["l2"].Choices);
    }

    [Theory]
    [InlineData("space:\n  lightgmb:\n    num_leaves: 8\n", 2, "learner 'lightgmb'")]
    [InlineData("space:\n  lightgbm:\n    leaves: 8\n", 3, "no hyperparameter 'leaves'")]
    [InlineData("space:\n  lightgbm:\n    num_leaves: 1\n", 3, "[2, 131072]")]
    [InlineData("space:\n  lightgbm:\n    feature_fraction: 1.5\n", 3, "(0, 1]")]
    [InlineData("space:\n  lightgbm:\n    learning_rate: [0, 0.3]\n", 3, "(0, ∞)")]
    [InlineData("space:\n  sdca:\n    l2: [0, 1]\n", 3, "log scale")]
    [InlineData("space:\n  lightgbm:\n    num_leaves: [8.5, 64]\n", 3, "whole numbers")]
    [InlineData("space:\n  lightgbm:\n    num_leaves: [64, 8]\n", 3, "minimum is above its maximum")]
    [InlineData("space:\n  lightgbm:\n    learning_rate: fast\n", 3, "not a number")]
    [InlineData("space:\n  lightgbm:\n    learning_rate: [low, high]\n", 3, "not a number")]
    [InlineData("space:\n  lightgbm:\n    learning_rate: []\n", 3, "empty list")]
    public void A_wrong_learner_hyperparameter_or_value_names_its_line(string yaml, int line, string expected)
    {
        var error = CheckError(yaml);

        Assert.Equal("CONFIG_INVALID", error.Code);
        Assert.Equal(line, error.Location!.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("space:\n  lightgbm:\n    num_leaves: {min: 8}\n", 3, "give a value, a [min, max] range")]
    [InlineData("space:\n  lightgbm: 8\n", 2, "give hyperparameters under the learner")]
    [InlineData("space: [lightgbm]\n", 1, "space: give learners")]
    [InlineData("space:\n  lightgbm:\n    num_leaves: [[8, 16]]\n", 3, "a list holds plain values")]
    [InlineData("space:\n  lightgbm:\n    num_leaves:\n", 3, "has no value")]
    [InlineData("label: y\nsplit:\n  group: a\n  time: b\n", null, "choose one")]
    public void Malformed_space_or_split_is_refused_when_read(string yaml, int? line, string expected)
    {
        var error = Assert.Throws<FerryException>(() => TrainingConfigReader.Parse(yaml, "ferry.yaml"));

        Assert.Equal("CONFIG_INVALID", error.Code);
        Assert.Equal(line, error.Location!.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_portfolio_is_moved_inside_the_overridden_ranges()
    {
        var lightgbm = MlNetZoo.Find("lightgbm")!;
        var resolved = SpaceOverrides.Resolve(MlNetZoo.All, TrainingConfigReader.Parse(Yaml, "ferry.yaml").Space);
        var configured = new ConfiguredLearner(lightgbm, resolved["lightgbm"]);
        var traits = new DataTraits(Data.Schema.TaskKind.Binary, 5000, 10, 2, 0.5);

        var portfolio = configured.Portfolio(traits);

        Assert.Equal(lightgbm.Portfolio(traits).Count, portfolio.Count);
        Assert.All(portfolio, c => Assert.Equal("0.05", c.Values["learning_rate"]));
        Assert.All(portfolio, c => Assert.InRange(c.WholeNumber("num_leaves", 0), 8, 64));
        // The zoo's large-data portfolio asks for 63 leaves once; inside [8, 64] that stays.
        Assert.Contains(portfolio, c => c.Values["num_leaves"] == "63");
    }
}
