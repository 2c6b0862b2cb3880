namespace Ferry.Cli.Tests;

public sealed class CliBasicsTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli").FullName;

    [Fact]
    public async Task Help_ListsEveryCommandWithOneLine()
    {
        var result = await CliRunner.RunAsync(_home, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("quickstart", result.Output, StringComparison.Ordinal);
        Assert.Contains("data", result.Output, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quickstart")]
    [InlineData("data", "inspect")]
    [InlineData("data", "add")]
    [InlineData("data", "list")]
    [InlineData("data", "show")]
    [InlineData("data", "diff")]
    [InlineData("data", "split")]
    [InlineData("experiments", "list")]
    [InlineData("runs", "list")]
    [InlineData("runs", "show")]
    [InlineData("runs", "compare")]
    [InlineData("runs", "delete")]
    [InlineData("server")]
    [InlineData("models", "list")]
    [InlineData("models", "show")]
    [InlineData("models", "alias", "set")]
    [InlineData("models", "stage")]
    [InlineData("artifacts", "list")]
    [InlineData("artifacts", "get")]
    public async Task EveryCommand_HasHelpWithAnExample(params string[] command)
    {
        var result = await CliRunner.RunAsync(_home, [.. command, "--help"]);
        Assert.Equal(0, result.ExitCode);
        var examples = result.Output[result.Output.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains("ferry " + string.Join(' ', command), examples, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var result = await CliRunner.RunAsync(_home, "--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }

    [Theory]
    [InlineData("data", "frobnicate")]
    [InlineData("data", "add")]
    [InlineData("data", "inspect", "x.csv", "--task", "clustering")]
    [InlineData("data", "inspect", "x.csv", "--delimiter", "::")]
    [InlineData("data", "split", "x.csv")]
    [InlineData("data", "show", "bad name")]
    public async Task UsageErrors_PrintOneLineAndExit2(params string[] args)
    {
        var result = await CliRunner.RunAsync(_home, args);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error:", lines[0], StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task MissingFile_IsAFailureNamingTheFile()
    {
        var result = await CliRunner.RunAsync(_home, "data", "inspect", "no/such/file.csv");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no/such/file.csv", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_UsageErrorExits2_AndSuccessExits0()
    {
        var bad = await CliRunner.RunProcessAsync(_home, "data", "show");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error:", bad.Error, StringComparison.Ordinal);

        var ok = await CliRunner.RunProcessAsync(_home, "data", "list", "--json");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("[]", ok.Output.Trim());
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
