using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Features;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Search;

/// <summary>One outer fold: the search's choices and the package's score on the rows it never saw.</summary>
internal sealed record OuterFoldResult(int Fold, int TrainRows, int TestRows, string Learner, double Validation, double Held, double Seconds, int Trials);

/// <summary>
/// Scores the whole of <c>ferry train</c> as a user meets it: per outer fold, the fold's training rows are written
/// as a CSV file, <see cref="AutoSearch"/> searches and packages a model from that file alone, and the package,
/// loaded like any other, is scored on the fold's held-out rows (also a CSV file) with Ferry's metric code.
/// </summary>
/// <param name="zoo">The learners to search (the CLI's zoo).</param>
/// <param name="flavors">The runtimes that load the packages the zoo writes.</param>
/// <param name="budget">Each search's whole budget.</param>
internal sealed class OuterCrossValidation(IReadOnlyList<ILearner> zoo, ModelFlavors flavors, TimeSpan budget)
{
    /// <summary>Runs <paramref name="folds"/> outer folds (stratified by the label for classification), one search at a time.</summary>
    /// <param name="sample">The CSV file; its rows must be one line each (no quoted line breaks), as the samples are.</param>
    /// <param name="label">The label column.</param>
    /// <param name="metric">The metric scored on the held-out rows (the search optimises its own default).</param>
    /// <param name="folds">The number of outer folds.</param>
    /// <param name="seed">Seeds the outer folds; fold f's search gets seed + f.</param>
    /// <param name="onFold">Called as each fold ends (to print progress).</param>
    public async Task<IReadOnlyList<OuterFoldResult>> RunAsync(string sample, string label, MetricKind metric, int folds, int seed, Action<OuterFoldResult> onFold)
    {
        var loaded = await CsvTableReader.LoadAsync(sample, new TableLoadOptions(), null, CancellationToken.None);
        var table = loaded.Table;
        var schema = SchemaInference.Infer(table, label);
        var lines = await File.ReadAllLinesAsync(sample);
        if (lines.Length - 1 != table.RowCount)
        {
            throw new InvalidOperationException($"{sample}: {lines.Length - 1} data lines but {table.RowCount} rows loaded; rows must be one line each");
        }

        await WarmUpAsync(table, schema, seed);
        var outer = Splitter.KFold(table, folds, schema.Task == TaskKind.Regression ? null : label, (ulong)seed);
        var work = Directory.CreateTempSubdirectory("ferry-quality-");
        try
        {
            var results = new List<OuterFoldResult>();
            foreach (var fold in outer)
            {
                var result = await RunFoldAsync(work.FullName, lines, fold, label, metric, seed + fold.Index);
                onFold(result);
                results.Add(result);
            }

            return results;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Fits every learner once on a slice of the data before the first search: the floors measure the search, and on
    /// a loaded 2-core machine a cold process's JIT and native loads would otherwise eat most of a short first budget.
    /// </summary>
    private async Task WarmUpAsync(Table table, DatasetSchema schema, int seed)
    {
        var step = Math.Max(1, table.RowCount / 100);
        var rows = table.SelectRows([.. Enumerable.Range(0, table.RowCount / step).Select(i => i * step)]);
        var featurizer = Featurizer.Fit(rows, schema);
        var set = TrainingSets.Create(rows, schema, featurizer);
        foreach (var learner in zoo.Where(l => l.Supports(schema.Task)))
        {
            if (learner.Portfolio(set.Traits()) is [var first, ..])
            {
                using var model = await learner.FitAsync(set, first, seed, CancellationToken.None);
                _ = model.Predict(set.Features);
            }
        }
    }

    private async Task<OuterFoldResult> RunFoldAsync(string work, string[] lines, Fold fold, string label, MetricKind metric, int seed)
    {
        var trainPath = Path.Combine(work, $"fold{fold.Index}-train.csv");
        var testPath = Path.Combine(work, $"fold{fold.Index}-test.csv");
        await File.WriteAllLinesAsync(trainPath, [lines[0], .. fold.Train.Select(r => lines[r + 1])]);
        await File.WriteAllLinesAsync(testPath, [lines[0], .. fold.Validation.Select(r => lines[r + 1])]);

        // The outer fold is this search's test set, so the search keeps no test rows of its own: it cross-validates
        // (or holds out) within every outer-training row, and the package is refit on all of them.
        var settings = new SearchSettings { DataPath = trainPath, Label = label, Budget = budget, Seed = seed, TestShare = 0 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await new AutoSearch(zoo, TimeProvider.System).RunAsync(settings, Path.Combine(work, $"fold{fold.Index}-package"), null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;

        var test = (await CsvTableReader.LoadAsync(testPath, new TableLoadOptions(), null, CancellationToken.None)).Table;
        using var predictor = await flavors.LoadPredictorAsync(outcome.PackagePath, CancellationToken.None);
        var scores = await HeldOutScores.ScoreAsync(predictor, test, CancellationToken.None);
        var completed = outcome.Leaderboard.Count(t => t.Status == TrialStatus.Completed);
        return new OuterFoldResult(fold.Index, fold.Train.Length, fold.Validation.Length, outcome.Best.Learner, outcome.Best.Score, scores[metric], seconds, completed);
    }
}
