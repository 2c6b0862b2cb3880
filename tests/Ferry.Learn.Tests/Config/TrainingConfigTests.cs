using Ferry.Learn.Config;

namespace Ferry.Learn.Tests.Config;

public sealed class TrainingConfigTests
{
    [Fact]
    public void The_template_and_an_empty_file_parse_to_defaults()
    {
        var template = TrainingConfigReader.Parse(TrainingConfigTemplate.For("churn.csv", null), "ferry.yaml");
        var empty = TrainingConfigReader.Parse("", "ferry.yaml");

        Assert.Equal("churn.csv", template.Data);
        Assert.Null(template.Label);
        Assert.Null(template.TimeSeconds);
        Assert.Equal(new TrainingConfig(), empty);
    }

    [Fact]
    public void Every_commented_setting_of_the_template_parses_when_uncommented()
    {
        // A commented setting is "# key: value" with a lower-case key; prose comments start with a capital.
        var uncommented = System.Text.RegularExpressions.Regex.Replace(
            TrainingConfigTemplate.For("churn.csv", "churned"), @"(?m)^(\s*)# ( *[a-z_]+:.*)$", "$1$2");

        var config = TrainingConfigReader.Parse(uncommented, "ferry.yaml");

        Assert.Equal("churned", config.Label);
        Assert.Equal("binary", config.Task);
        Assert.Equal(60, config.TimeSeconds);
        Assert.Equal(["lightgbm", "sdca"], config.Include);
        Assert.Equal(["mlp"], config.Exclude);
        Assert.Equal(5, config.Split!.Folds);
        Assert.Equal("customer_id", config.Split.Group);
        Assert.Equal("churn", config.Register);
        Assert.Contains(config.Space!, o => o is { Learner: "lightgbm", Parameter: "learning_rate", IsList: true });
        Assert.Contains(config.Space!, o => o is { Learner: "fastforest", Parameter: "trees", Values.Count: 3 });
        Assert.True(config.Ensemble);
    }

    [Fact]
    public void An_unknown_setting_is_refused_with_its_line()
    {
        var error = Assert.Throws<FerryException>(() => TrainingConfigReader.Parse("label: y\nbudget: 30\n", "ferry.yaml"));

        Assert.Equal("CONFIG_INVALID", error.Code);
        Assert.Equal(2, error.Location!.Line);
        Assert.Contains("budget", error.Message, StringComparison.Ordinal);
        Assert.Contains("time_seconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("time_seconds: soon", "time_seconds")]
    [InlineData("time_seconds: 0", "positive")]
    [InlineData("task: clustering", "clustering")]
    [InlineData("split:\n  test: 20", "between 0 and 1")]
    [InlineData("split:\n  folds: 1", "at least 2")]
    public void Bad_values_are_refused_naming_the_setting(string yaml, string expected)
    {
        var error = Assert.Throws<FerryException>(() => TrainingConfigReader.Parse(yaml, "ferry.yaml"));

        Assert.Equal("CONFIG_INVALID", error.Code);
        Assert.Contains(expected, error.Describe(), StringComparison.OrdinalIgnoreCase);
    }
}
