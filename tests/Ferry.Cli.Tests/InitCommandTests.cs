using Ferry.Learn.Config;

namespace Ferry.Cli.Tests;

public sealed class InitCommandTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-cli-init-");

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public async Task Init_writes_a_config_that_reads_back_with_the_data_relative_to_it()
    {
        var config = Path.Combine(_home.FullName, "project", "ferry.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        var data = Path.Combine(_home.FullName, "data", "churn.csv");

        var result = await CliRunner.RunAsync(_home.FullName, "init", "--data", data, "--label", "churned", "-o", config);

        Assert.Equal(CliApp.Success, result.ExitCode);
        var read = await TrainingConfigReader.ReadAsync(config, CancellationToken.None);
        Assert.Equal("../data/churn.csv", read.Data);
        Assert.Equal("churned", read.Label);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(config)!));
    }

    [Fact]
    public async Task Init_refuses_to_overwrite_without_force()
    {
        var config = Path.Combine(_home.FullName, "ferry.yaml");
        await File.WriteAllTextAsync(config, "label: mine\n");

        var refused = await CliRunner.RunAsync(_home.FullName, "init", "-o", config);
        Assert.Equal(CliApp.UsageError, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("label: mine\n", await File.ReadAllTextAsync(config));

        var forced = await CliRunner.RunAsync(_home.FullName, "init", "-o", config, "--force");
        Assert.Equal(CliApp.Success, forced.ExitCode);
        Assert.Null((await TrainingConfigReader.ReadAsync(config, CancellationToken.None)).Label);
    }
}
