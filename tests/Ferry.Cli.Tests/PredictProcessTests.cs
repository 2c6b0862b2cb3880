using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Ferry.Cli.Tests;

/// <summary><c>ferry predict</c> as a real process: a trained ML.NET package scores its data; Ctrl+C leaves no output.</summary>
public sealed class PredictProcessTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-predict-process-").FullName;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task A_trained_package_scores_its_own_data()
    {
        var package = Path.Combine(_home, "iris-model");
        // One quick learner and a generous budget: this test is about predict, and CI runs it beside other test projects.
        // No ensemble, so that the package is the single ML.NET model this test reads back.
        var train = await CliRunner.RunAsync(_home, "train", CliRunner.Sample("iris.csv"), "--time", "20", "--include", "lbfgs", "--no-ensemble", "-o", package);
        Assert.True(train.ExitCode == 0, train.ToString());

        var result = await CliRunner.RunAsync(_home, "predict", package, CliRunner.Sample("iris.csv"), "-o", Path.Combine(_home, "scores.csv"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(flavor mlnet", result.Error, StringComparison.Ordinal);
        var (header, rows) = PredictTestData.ReadCsv(File.ReadAllText(Path.Combine(_home, "scores.csv")));
        Assert.Equal(["row", "prediction", "probability_setosa", "probability_versicolor", "probability_virginica"], header);
        var labels = File.ReadAllLines(CliRunner.Sample("iris.csv")).Skip(1).Select(l => l.Split(',')[^1]).ToArray();
        Assert.Equal(labels.Length, rows.Length);
        Assert.True(rows.Where((r, i) => r[1] == labels[i]).Count() >= 135, "a model scoring its own training data gets most rows right");
        Assert.All(rows, r => Assert.Equal(1.0, r[2..].Sum(PredictTestData.Number), 1e-3));

        // The ML.NET predictor's own INPUT_INVALID names the row of its batch; ferry predict names the file's row.
        var lines = File.ReadAllLines(CliRunner.Sample("iris.csv"));
        lines[100] = "4.5,wide,1.2,0.3,setosa";
        var bad = Path.Combine(_home, "bad.csv");
        File.WriteAllLines(bad, lines);
        var refused = await CliRunner.RunAsync(_home, "predict", package, bad, "--batch-size", "16");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{bad} (column 'sepal_width_cm')", refused.Error, StringComparison.Ordinal);
        Assert.Contains("row 100 holds 'wide'", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interrupt_while_scoring_exits_130_and_leaves_no_output()
    {
        var import = await CliRunner.RunAsync(_home, "models", "import", PredictTestData.Fixture("iris_logreg.onnx"), "--name", "iris");
        Assert.True(import.ExitCode == 0, import.ToString());
        var big = Path.Combine(_home, "big.csv");
        await using (var writer = new StreamWriter(big))
        {
            await writer.WriteLineAsync("f0,f1,f2,f3");
            var random = new Random(5);
            for (var i = 0; i < 300_000; i++)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{random.NextDouble() * 8:F2},{random.NextDouble() * 4:F2},{random.NextDouble() * 7:F2},{random.NextDouble() * 2:F2}"));
            }
        }

        var target = Path.Combine(_home, "scores.csv");
        // One row a batch keeps it scoring long after the output's temp file appears, however fast the machine.
        using var process = CliRunner.Start(_home, "predict", "iris@challenger", big, "-o", target, "--batch-size", "1");
        var error = process.StandardError.ReadToEndAsync();
        await WaitForPartialAsync(process);
        Assert.False(process.HasExited, "the predict finished before it could be interrupted; make the file bigger");
        Assert.Equal(0, kill(process.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", await error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.DoesNotContain(Directory.EnumerateFiles(_home), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    private async Task WaitForPartialAsync(Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (Directory.EnumerateFiles(_home, ".scores.csv.*.partial").Any())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"ferry predict wrote no output within 120 s (exited: {process.HasExited})");
    }
}
