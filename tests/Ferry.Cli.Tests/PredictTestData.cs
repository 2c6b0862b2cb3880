using System.Globalization;
using System.Text.Json;

namespace Ferry.Cli.Tests;

/// <summary>The ONNX fixtures (tests/fixtures/onnx) and what their weights say the predictions are.</summary>
internal static class PredictTestData
{
    public static string Fixture(string name) => Path.Combine(CliRunner.RepoRoot, "tests", "fixtures", "onnx", name);

    /// <summary>The iris fixture's class probabilities for one row of samples/iris.csv, computed from its weights.</summary>
    public static double[] IrisProbabilities(double[] features)
    {
        using var weights = JsonDocument.Parse(File.ReadAllText(Fixture("iris_logreg.weights.json")));
        var w = weights.RootElement.GetProperty("W").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var b = weights.RootElement.GetProperty("B").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var logits = b.Select((bias, k) => bias + features.Select((x, j) => x * w[j][k]).Sum()).ToArray();
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

    /// <summary>The diabetes fixture's prediction for one row, from its weights.</summary>
    public static double DiabetesValue(double[] features)
    {
        using var weights = JsonDocument.Parse(File.ReadAllText(Fixture("diabetes_linear.weights.json")));
        var w = weights.RootElement.GetProperty("W").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return weights.RootElement.GetProperty("B").GetDouble() + features.Select((x, j) => x * w[j]).Sum();
    }

    /// <summary>A simple CSV (no quoted fields) as header and rows.</summary>
    public static (string[] Header, string[][] Rows) ReadCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        return (lines[0].Split(','), [.. lines.Skip(1).Select(l => l.Split(','))]);
    }

    public static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
