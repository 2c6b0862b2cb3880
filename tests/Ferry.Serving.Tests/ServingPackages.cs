using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Learn.Features;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Training;

namespace Ferry.Serving.Tests;

/// <summary>A real model package trained on a sample, with rows it was not trained on.</summary>
/// <param name="Path">The package folder.</param>
/// <param name="Sample">The sample's name (breast_cancer, penguins, diabetes, iris).</param>
/// <param name="Learner">The learner that fitted it.</param>
/// <param name="TestRows">Rows held out from training, label removed.</param>
/// <param name="Labels">The held-out rows' labels as text.</param>
internal sealed record ServingPackage(string Path, string Sample, string Learner, Table TestRows, IReadOnlyList<string?> Labels);

/// <summary>
/// Trains small real packages once per test run (ML.NET learners on the repository's samples, a few seconds each) and
/// hands out copies, so tests load, swap and serve what `ferry train` writes without a search in every test.
/// </summary>
internal static class ServingPackages
{
    private static readonly Dictionary<(string, string), Task<ServingPackage>> Cache = [];
    private static readonly string Root = CreateRoot();

    /// <summary>The repository's samples folder.</summary>
    public static string Samples { get; } = System.IO.Path.Combine(FindRoot(), "samples");

    /// <summary>A package of <paramref name="sample"/> fitted by <paramref name="learner"/> (an ML.NET zoo name).</summary>
    public static Task<ServingPackage> GetAsync(string sample, string learner = "sdca")
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((sample, learner), out var task))
            {
                task = Cache[(sample, learner)] = TrainAsync(sample, learner);
            }

            return task;
        }
    }

    /// <summary>Copies a package folder to <paramref name="target"/> (for example a model folder's version directory).</summary>
    public static void CopyTo(ServingPackage package, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(package.Path, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(package.Path, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static async Task<ServingPackage> TrainAsync(string sample, string learnerName)
    {
        var loaded = await CsvTableReader.LoadAsync(System.IO.Path.Combine(Samples, sample + ".csv"), new TableLoadOptions(), null, CancellationToken.None);
        var table = loaded.Table;
        var schema = SchemaInference.Infer(table, label: null);
        var split = Splitter.TrainValidationTest(table, schema.Task == TaskKind.Regression ? null : schema.Label, 0, 0.25, 7);
        var train = table.SelectRows(split.Train);
        var test = table.SelectRows(split.Test);
        var learner = MlNetZoo.Find(learnerName) ?? throw new ArgumentException($"no ML.NET learner '{learnerName}'", nameof(learnerName));
        var featurizer = Featurizer.Fit(train, schema, new FeaturizerOptions { Scale = learner.NeedsScaling });
        var set = TrainingSets.Create(train, schema, featurizer);
        var model = await learner.FitAsync(set, learner.Portfolio(set.Traits())[0], 3, CancellationToken.None);
        using var predictor = TabularPredictor.Create(learner, featurizer, model, schema);
        var inputs = new Table(test.Columns.Where(c => c.Name != schema.Label));
        var predictions = await predictor.PredictAsync(inputs, CancellationToken.None);
        var reference = ReferenceProfileBuilder.Build(inputs, predictor.Signature, predictions, "test");
        var target = System.IO.Path.Combine(Root, $"{sample}-{learnerName}");
        var training = new TrainingInfo(DateTimeOffset.UnixEpoch, "0.1.0", "run-" + sample, sample + "@1", 7, learner.LibraryVersions());
        await TabularPackage.WriteAsync(target, predictor, training, reference, CancellationToken.None);
        var label = test[schema.Label];
        return new ServingPackage(target, sample, learnerName, inputs, [.. Enumerable.Range(0, label.Length).Select(label.GetText)]);
    }

    /// <summary>The packages' folder, deleted when the test process exits (the packages live as long as the run).</summary>
    private static string CreateRoot()
    {
        var root = Directory.CreateTempSubdirectory("ferry-serving-packages-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A file still open at exit leaves the folder to the system's temp clean-up.
            }
        };
        return root;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
    }
}
