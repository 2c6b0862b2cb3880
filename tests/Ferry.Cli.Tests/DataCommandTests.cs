using System.Text.Json;

namespace Ferry.Cli.Tests;

public sealed class DataCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-data").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-cli-work").FullName;

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement;
    }

    [Fact]
    public async Task Inspect_Json_ReportsSchemaTaskAndReport()
    {
        var json = Json(await CliRunner.RunAsync(_home, "data", "inspect", CliRunner.Sample("penguins.csv"), "--json"));
        Assert.Equal(344, json.GetProperty("rows").GetInt32());
        Assert.Equal("label", json.GetProperty("schema").GetProperty("label").GetString());
        Assert.Equal("multiclass", json.GetProperty("schema").GetProperty("task").GetString());
        var columns = json.GetProperty("schema").GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("kind").GetString());
        Assert.Equal("categorical", columns["island"]);
        Assert.Equal("numeric", columns["bill_length_mm"]);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "MISSING_VALUES");
        var report = json.GetProperty("report").GetString()!;
        Assert.StartsWith(Path.Combine(_home, "reports"), report, StringComparison.Ordinal);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public async Task Inspect_Human_ShowsSchemaWarningsAndReportPath()
    {
        var result = await CliRunner.RunAsync(_home, "data", "inspect", CliRunner.Sample("penguins.csv"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("island", result.Output, StringComparison.Ordinal);
        Assert.Contains("multiclass", result.Output, StringComparison.Ordinal);
        Assert.Contains("Report:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_List_Show_Diff_FollowTheContent()
    {
        var v1 = Path.Combine(_work, "iris.csv");
        File.Copy(CliRunner.Sample("iris.csv"), v1);
        var first = Json(await CliRunner.RunAsync(_home, "data", "add", v1, "--name", "iris", "--json"));
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal(1, first.GetProperty("version").GetProperty("version").GetInt32());

        // The same content from another file, with another delimiter and CRLF line ends, is the same version.
        var copy = Path.Combine(_work, "iris-semicolon.csv");
        await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(v1)).Replace(",", ";", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        var same = Json(await CliRunner.RunAsync(_home, "data", "add", copy, "--name", "iris", "--json"));
        Assert.False(same.GetProperty("created").GetBoolean());
        Assert.Equal(1, same.GetProperty("version").GetProperty("version").GetInt32());

        // Changed content is the next version.
        var lines = (await File.ReadAllLinesAsync(v1)).ToList();
        lines.Add("9.9,1.0,9.9,3.0,virginica");
        var v2 = Path.Combine(_work, "iris-more.csv");
        await File.WriteAllLinesAsync(v2, lines);
        var second = Json(await CliRunner.RunAsync(_home, "data", "add", v2, "--name", "iris", "--json"));
        Assert.True(second.GetProperty("created").GetBoolean());
        Assert.Equal(2, second.GetProperty("version").GetProperty("version").GetInt32());
        Assert.Equal(151, second.GetProperty("version").GetProperty("rows").GetInt32());

        var list = Json(await CliRunner.RunAsync(_home, "data", "list", "--json"));
        var iris = Assert.Single(list.EnumerateArray());
        Assert.Equal(2, iris.GetProperty("versions").GetInt32());

        var show = Json(await CliRunner.RunAsync(_home, "data", "show", "iris@1", "--json"));
        Assert.Equal(150, show.GetProperty("rows").GetInt32());
        Assert.Equal(Path.GetFullPath(v1), show.GetProperty("sourcePath").GetString());

        var human = await CliRunner.RunAsync(_home, "data", "show", "iris");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("iris@2", human.Output, StringComparison.Ordinal);

        var diff = Json(await CliRunner.RunAsync(_home, "data", "diff", "iris@1", "iris@2", "--json"));
        Assert.Equal(1, diff.GetProperty("rowCountChange").GetInt64());
    }

    [Fact]
    public async Task Show_UnknownDataset_Fails()
    {
        await CliRunner.RunAsync(_home, "data", "add", CliRunner.Sample("wine.csv"));
        var result = await CliRunner.RunAsync(_home, "data", "show", "iris");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no dataset named 'iris'", result.Error, StringComparison.Ordinal);
        Assert.Contains("wine", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_StrictWithBadRows_FailsAndRecordsNothing()
    {
        var ragged = Path.Combine(_work, "ragged.csv");
        await File.WriteAllTextAsync(ragged, "a,b,label\n1,2,x\n3,4,y\n5,6,7,x\n7,8,y\n");
        var strict = await CliRunner.RunAsync(_home, "data", "add", ragged, "--name", "ragged", "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains(":4", strict.Error, StringComparison.Ordinal);
        var list = Json(await CliRunner.RunAsync(_home, "data", "list", "--json"));
        Assert.Empty(list.EnumerateArray());

        var lenient = Json(await CliRunner.RunAsync(_home, "data", "add", ragged, "--name", "ragged", "--json"));
        Assert.Equal(1, lenient.GetProperty("version").GetProperty("badRowCount").GetInt32());
        Assert.Equal(3, lenient.GetProperty("version").GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Split_WritesDisjointStratifiedParts_Deterministically()
    {
        var a = Path.Combine(_work, "a");
        var b = Path.Combine(_work, "b");
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "data", "split", CliRunner.Sample("iris.csv"), "-o", a, "--seed", "7")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "data", "split", CliRunner.Sample("iris.csv"), "-o", b, "--seed", "7")).ExitCode);
        foreach (var part in new[] { "train.csv", "validation.csv", "test.csv" })
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(a, part)), await File.ReadAllTextAsync(Path.Combine(b, part)));
        }

        var train = (await File.ReadAllLinesAsync(Path.Combine(a, "train.csv"))).Skip(1).ToList();
        var test = (await File.ReadAllLinesAsync(Path.Combine(a, "test.csv"))).Skip(1).ToList();
        var validation = (await File.ReadAllLinesAsync(Path.Combine(a, "validation.csv"))).Skip(1).ToList();
        Assert.Equal(150, train.Count + test.Count + validation.Count);
        Assert.Equal(30, test.Count);
        Assert.Equal(10, test.Count(l => l.EndsWith(",setosa", StringComparison.Ordinal)));

        var again = await CliRunner.RunAsync(_home, "data", "split", CliRunner.Sample("iris.csv"), "-o", a);
        Assert.Equal(2, again.ExitCode);
    }

    [Fact]
    public async Task Quickstart_InspectsVersionsAndSplits_ThenPointsToTheResults()
    {
        var result = await CliRunner.RunAsync(_home, "quickstart");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Where to look", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home, "ferry.db")));
        Assert.Single(Directory.GetFiles(Path.Combine(_home, "reports"), "index.html", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(_home, "splits", "penguins-v1", "test.csv")));

        // The challenger scored the test part: one prediction per test row, each class's probability beside it.
        var testRows = File.ReadAllLines(Path.Combine(_home, "splits", "penguins-v1", "test.csv")).Length - 1;
        var predictions = File.ReadAllLines(Path.Combine(_home, "predictions", "penguins-test.csv"));
        Assert.Equal(testRows, predictions.Length - 1);
        Assert.Contains("probability_Adelie", predictions[0], StringComparison.Ordinal);

        // The champion served the test part over HTTP as live traffic, and every answer got its true label as feedback.
        await using (var store = await Ferry.Tracking.StoreFactory.OpenAsync(Path.Combine(_home, "ferry.db"), TimeProvider.System, CancellationToken.None))
        {
            var logged = await ((Ferry.Tracking.Predictions.IPredictionLog)store).ReadAsync(new Ferry.Tracking.Predictions.PredictionQuery("penguins"), CancellationToken.None);
            Assert.Equal(testRows, logged.Count);
            Assert.All(logged, p => Assert.False(string.IsNullOrEmpty(p.Label)));
            Assert.All(logged, p => Assert.Equal(1, p.Version));
        }

        var runs = Json(await CliRunner.RunAsync(_home, "runs", "list", "-e", "quickstart", "--json"));
        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal("FINISHED", run.GetProperty("info").GetProperty("status").GetString()!.ToUpperInvariant());
        Assert.Equal("penguins@1", run.GetProperty("data").GetProperty("params").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "dataset").GetProperty("value").GetString());
        Assert.Equal("penguins", run.GetProperty("inputs").EnumerateArray().Single().GetProperty("name").GetString());

        // The data report is one of the run's artifacts, and comes back whole.
        var runId = run.GetProperty("info").GetProperty("runId").GetString()!;
        var listed = Json(await CliRunner.RunAsync(_home, "artifacts", "list", runId, "data-report", "--json"));
        var folder = Assert.Single(listed.EnumerateArray());
        Assert.True(folder.GetProperty("isDirectory").GetBoolean());
        var download = Path.Combine(_work, "download");
        Assert.Equal(0, (await CliRunner.RunAsync(_home, "artifacts", "get", runId, "data-report", "-o", download)).ExitCode);
        Assert.Single(Directory.GetFiles(download, "index.html", SearchOption.AllDirectories));
        Assert.Equal(1, (await CliRunner.RunAsync(_home, "artifacts", "get", runId, "../../etc/passwd", "-o", download)).ExitCode);

        var again = await CliRunner.RunAsync(_home, "quickstart");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Unchanged", again.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
