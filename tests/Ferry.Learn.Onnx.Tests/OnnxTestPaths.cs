using System.Text.Json;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;

namespace Ferry.Learn.Onnx.Tests;

/// <summary>The repository's samples and ONNX fixtures (tests/fixtures/onnx, made by make_fixtures.py), and their weights.</summary>
internal static class OnnxTestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "fixtures", "onnx", name);

    public static string Sample(string name) => Path.Combine(RepoRoot, "samples", name);

    public static async Task<Table> LoadSampleAsync(string name) =>
        (await CsvTableReader.LoadAsync(Sample(name), new TableLoadOptions(), null, CancellationToken.None)).Table;

    public static JsonElement Weights(string model)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixture(model + ".weights.json")));
        return document.RootElement.Clone();
    }

    public static double[][] Matrix(JsonElement element) =>
        [.. element.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    public static double[] Vector(JsonElement element) => [.. element.EnumerateArray().Select(v => v.GetDouble())];

    public static string[] Strings(JsonElement element) => [.. element.EnumerateArray().Select(v => v.GetString()!)];

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above the test folder");
    }
}
