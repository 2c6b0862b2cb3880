namespace Ferry.Cli.Tests;

[Collection(TrainingSearches.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-cli-train-");

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public async Task Train_packages_registers_a_challenger_and_the_registry_shows_it()
    {
        var package = Path.Combine(_home.FullName, "iris-model");

        var train = await CliRunner.RunAsync(_home.FullName, "train", CliRunner.Sample("iris.csv"), "--time", "10", "--register", "iris", "-o", package);

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        Assert.True(File.Exists(Path.Combine(package, "model.json")));
        Assert.Contains("Registered iris version 1 with alias challenger", train.Output, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync(_home.FullName, "models", "show", "iris@challenger");
        Assert.True(show.ExitCode == CliApp.Success, show.ToString());
        Assert.Contains("best.learner", show.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CliApp.UsageError, "unknown metric 'bogus'", "--metric", "bogus")]
    [InlineData(CliApp.UsageError, "unknown learner(s) xgboost", "--include", "xgboost")]
    [InlineData(CliApp.UsageError, "--time", "--time", "0")]
    public async Task Bad_options_are_refused_before_any_work(int exitCode, string expected, string option, string value)
    {
        var result = await CliRunner.RunAsync(_home.FullName, "train", CliRunner.Sample("iris.csv"), option, value, "-o", Path.Combine(_home.FullName, "never"));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_home.FullName, "never")));
    }
}
