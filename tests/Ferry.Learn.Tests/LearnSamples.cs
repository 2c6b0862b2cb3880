using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests;

/// <summary>The repository's sample CSVs, loaded with Ferry.Data's reader and split for learner tests.</summary>
internal static class LearnSamples
{
    private static readonly Dictionary<string, Task<(Table, DatasetSchema)>> Cache = [];

    public static string Folder { get; } = Path.Combine(FindRoot(), "samples");

    public static async Task<(Table Table, DatasetSchema Schema)> LoadAsync(string name)
    {
        Task<(Table, DatasetSchema)> load;
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out load!))
            {
                load = Cache[name] = LoadUncachedAsync(name);
            }
        }

        return await load;
    }

    /// <summary>A stratified 75/25 split (seed 7) with a featurizer fitted on the training rows.</summary>
    public static async Task<Holdout> HoldoutAsync(string name, bool scale, ulong seed = 7)
    {
        var (table, schema) = await LoadAsync(name);
        var split = Splitter.TrainValidationTest(table, schema.Task == TaskKind.Regression ? null : schema.Label, 0, 0.25, seed);
        var train = table.SelectRows(split.Train);
        var test = table.SelectRows(split.Test);
        var featurizer = Featurizer.Fit(train, schema, new FeaturizerOptions { Scale = scale });
        return new Holdout(schema, train, test, featurizer, TrainingSets.Create(train, schema, featurizer), TrainingSets.Create(test, schema, featurizer));
    }

    private static async Task<(Table, DatasetSchema)> LoadUncachedAsync(string name)
    {
        var result = await CsvTableReader.LoadAsync(Path.Combine(Folder, name + ".csv"), new TableLoadOptions(), null, CancellationToken.None);
        return (result.Table, SchemaInference.Infer(result.Table, label: null));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A train/test split of a sample with the featurised sets.</summary>
internal sealed record Holdout(DatasetSchema Schema, Table TrainRows, Table TestRows, Featurizer Featurizer, TrainingSet Train, TrainingSet Test);
