using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Tests;

/// <summary>Finds the repository (the folder holding Ferry.sln) and its samples.</summary>
internal static class TorchTestPaths
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootFolder.Value;

    public static string Sample(string fileName) => Path.Combine(Root, "samples", fileName);
}

/// <summary>Sample data shaped for the TorchSharp learners: z-scored features (as the featurizer would give them) and split.</summary>
internal static class TorchTestData
{
    public static async Task<Table> LoadAsync(string sample) =>
        (await CsvTableReader.LoadAsync(TorchTestPaths.Sample(sample), new TableLoadOptions(), null, CancellationToken.None)).Table;

    /// <summary>A sample as a training set: every column but the label as a z-scored feature.</summary>
    public static async Task<TrainingSet> TrainingSetAsync(string sample, string label, TaskKind task)
    {
        var table = await LoadAsync(sample);
        var features = table.Columns.Where(c => c.Name != label).Cast<NumericColumn>().ToArray();
        var rows = table.RowCount;
        var values = new float[rows * features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var column = features[f].Values;
            var mean = column.ToArray().Average();
            var std = Math.Sqrt(column.ToArray().Average(v => (v - mean) * (v - mean)));
            for (var r = 0; r < rows; r++)
            {
                values[(r * features.Length) + f] = (float)((column[r] - mean) / (std > 0 ? std : 1));
            }
        }

        var labelColumn = table[label];
        string[] classes = task == TaskKind.Regression ? [] : [.. Enumerable.Range(0, rows).Select(r => labelColumn.GetText(r)!).Distinct().Order(StringComparer.Ordinal)];
        var labels = task == TaskKind.Regression
            ? Enumerable.Range(0, rows).Select(r => (float)((NumericColumn)labelColumn)[r]).ToArray()
            : Enumerable.Range(0, rows).Select(r => (float)Array.IndexOf(classes, labelColumn.GetText(r))).ToArray();
        return new TrainingSet(new FeatureMatrix(values, [.. features.Select(f => f.Name)]), labels, null, task, classes);
    }

    public static async Task<ImageDataset> DigitsAsync() => DigitsImages.FromTable(await LoadAsync("digits.csv"));

    /// <summary>A seeded split of row indices, stratified by label: about <paramref name="testShare"/> of each class goes to the test rows.</summary>
    public static (int[] Train, int[] Test) Split(IReadOnlyList<float> labels, double testShare, int seed)
    {
        var random = new Random(seed);
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(r => labels[r]))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            test.AddRange(rows.Take((int)Math.Round(rows.Length * testShare)));
        }

        var isTest = test.ToHashSet();
        return ([.. Enumerable.Range(0, labels.Count).Where(r => !isTest.Contains(r))], [.. test.Order()]);
    }

    public static (int[] Train, int[] Test) Split(ImageDataset images, double testShare, int seed) =>
        Split([.. images.Items.Select(i => (float)images.Classes.ToList().IndexOf(i.Label))], testShare, seed);
}

/// <summary>Scores computed independently of the code under test.</summary>
internal static class TorchTestMetrics
{
    /// <summary>ROC-AUC from the rank-sum (Mann-Whitney) statistic, ties counted half.</summary>
    public static double RocAuc(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        double pairs = 0, wins = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            if (!positive[i])
            {
                continue;
            }

            for (var j = 0; j < scores.Count; j++)
            {
                if (positive[j])
                {
                    continue;
                }

                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }

        return wins / pairs;
    }

    public static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    public static double Accuracy(float[][] probabilities, IReadOnlyList<float> labels) =>
        probabilities.Select((p, i) => ArgMax(p) == (int)labels[i] ? 1.0 : 0.0).Average();

    /// <summary>Recall of one class: the share of its rows predicted as it.</summary>
    public static double Recall(float[][] probabilities, IReadOnlyList<float> labels, int cls)
    {
        var rows = Enumerable.Range(0, labels.Count).Where(r => (int)labels[r] == cls).ToArray();
        return rows.Count(r => ArgMax(probabilities[r]) == cls) / (double)rows.Length;
    }

    public static double RSquared(float[][] predictions, IReadOnlyList<float> actual)
    {
        var mean = actual.Average();
        var residual = actual.Select((a, i) => Math.Pow(a - predictions[i][0], 2)).Sum();
        var total = actual.Sum(a => Math.Pow(a - mean, 2));
        return 1 - (residual / total);
    }
}
