using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ferry.Cli.Tests;

/// <summary><c>ferry train -c ferry.yaml</c> with the settings beyond the basics: split.group, split.time, space and ensemble.</summary>
[Collection(TrainingSearches.Name)]
public sealed partial class TrainConfigTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-cli-train-config-");

    public void Dispose() => _home.Delete(recursive: true);

    [GeneratedRegex(@"Search run: (\w+)")]
    private static partial Regex SearchRun();

    /// <summary>30 customers of 8 rows each over 240 days, shuffled; the label leans on x1.</summary>
    private string WriteData()
    {
        var random = new Random(23);
        var rows = Enumerable.Range(0, 240).OrderBy(_ => random.Next()).Select(i =>
        {
            var x = (random.NextDouble() * 4) - 2;
            var label = x + (random.NextDouble() - 0.5) > 0 ? "yes" : "no";
            return string.Create(CultureInfo.InvariantCulture, $"c{i % 30:00},{new DateTime(2024, 1, 1).AddDays(i):yyyy-MM-dd},{x:0.###},{random.NextDouble():0.###},{label}");
        });
        var path = Path.Combine(_home.FullName, "customers.csv");
        File.WriteAllLines(path, ["customer_id,day,x1,x2,churned", .. rows]);
        return path;
    }

    private async Task<(CliResult Result, string Package)> TrainAsync(string yaml, params string[] options)
    {
        WriteData();
        var config = Path.Combine(_home.FullName, "ferry.yaml");
        await File.WriteAllTextAsync(config, "data: customers.csv\nlabel: churned\ntime_seconds: 10\n" + yaml);
        var package = Path.Combine(_home.FullName, "model");
        return (await CliRunner.RunAsync(_home.FullName, ["train", "-c", config, "-o", package, .. options]), package);
    }

    private async Task<Dictionary<string, string>> SearchParamsAsync(CliResult train)
    {
        var runId = SearchRun().Match(train.Output).Groups[1].Value;
        var show = await CliRunner.RunAsync(_home.FullName, "runs", "show", runId, "--json");
        Assert.True(show.ExitCode == CliApp.Success, show.ToString());
        using var json = JsonDocument.Parse(show.Output);
        return json.RootElement.GetProperty("data").GetProperty("params").EnumerateArray()
            .ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("value").GetString()!);
    }

    [Fact]
    public async Task A_group_split_in_ferry_yaml_trains_and_is_recorded()
    {
        var (train, package) = await TrainAsync("split:\n  group: customer_id\n");

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        Assert.True(File.Exists(Path.Combine(package, "model.json")));
        var parameters = await SearchParamsAsync(train);
        Assert.Equal(("group", "customer_id", "true"), (parameters["split"], parameters["split.column"], parameters["ensemble"]));
        Assert.DoesNotContain("\"name\": \"customer_id\"", await File.ReadAllTextAsync(Path.Combine(package, "model.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_split_in_ferry_yaml_trains_and_is_recorded_and_ensemble_false_is_honoured()
    {
        var (train, package) = await TrainAsync("split:\n  time: day\nensemble: false\n");

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        Assert.True(File.Exists(Path.Combine(package, "model.json")));
        var parameters = await SearchParamsAsync(train);
        Assert.Equal(("time", "day", "false"), (parameters["split"], parameters["split.column"], parameters["ensemble"]));
    }

    [Fact]
    public async Task Space_overrides_apply_and_no_ensemble_turns_the_ensemble_off()
    {
        var (train, _) = await TrainAsync("include: [lightgbm, sdca]\nspace:\n  lightgbm:\n    learning_rate: 0.05\n    num_leaves: [4, 8]\n", "--no-ensemble");

        Assert.True(train.ExitCode == CliApp.Success, train.ToString());
        var parameters = await SearchParamsAsync(train);
        Assert.Equal("0.05", parameters["space.lightgbm.learning_rate"]);
        Assert.Equal("[4, 8]", parameters["space.lightgbm.num_leaves"]);
        Assert.Equal("false", parameters["ensemble"]);
        if (parameters["best.learner"] == "lightgbm")
        {
            Assert.Equal("0.05", parameters["best.learning_rate"]);
        }
    }

    [Theory]
    [InlineData("space:\n  lightgbm:\n    num_leavs: 8\n", ":6: space.lightgbm.num_leavs", "num_leaves")]
    [InlineData("space:\n  xgboost:\n    depth: 3\n", ":5: space names learner 'xgboost'", "lightgbm")]
    [InlineData("split:\n  group: customer\n", "split.group names column 'customer'", "customer_id")]
    public async Task A_setting_that_cannot_apply_is_refused_naming_it(string yaml, string expected, string hint)
    {
        var (train, package) = await TrainAsync(yaml);

        Assert.NotEqual(CliApp.Success, train.ExitCode);
        Assert.Contains(expected, train.Error, StringComparison.Ordinal);
        Assert.Contains(hint, train.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(package));
    }
}
