using Ferry.Learn.Evaluation;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// Scores one trial: fits the learner on each fold's training rows and scores the validation rows with the
/// search metric. After the first fold it asks whether to go on (successive halving). Out-of-fold predictions
/// are kept for the best trials, for threshold tuning and the ensemble; a completed trial also hands back its fold
/// models (the caller owns them), which can ship when there is no time left to refit.
/// </summary>
internal sealed class TrialRunner(SearchData data, MetricKind metric, TimeProvider time, int seed)
{
    /// <summary>Runs the trial; cancellation stops it between folds (and inside a fit where the learner can).</summary>
    public async Task<(TrialResult Result, float[][]? OutOfFold, IFittedModel[]? Models)> RunAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        var models = new List<IFittedModel>(data.Folds.Count);
        try
        {
            var (result, outOfFold) = await RunFoldsAsync(request, models, cancellationToken);
            if (outOfFold is not null)
            {
                IFittedModel[] kept = [.. models];
                models.Clear();
                return (result, outOfFold, kept);
            }

            return (result, null, null);
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }

    private async Task<(TrialResult Result, float[][]? OutOfFold)> RunFoldsAsync(TrialRequest request, List<IFittedModel> models, CancellationToken cancellationToken)
    {
        var set = data.For(request.Learner);
        var outOfFold = new float[set.Labels.Length][];
        var foldScores = new List<double>();
        var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
        double fitSeconds = 0, predictSeconds = 0;
        var predictedRows = 0;
        long? modelBytes = null;
        for (var f = 0; f < data.Folds.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (trainRows, validRows) = data.Folds[f];
            var valid = set.SelectRows(validRows);
            var started = time.GetTimestamp();
            var model = await request.Learner.FitAsync(set.SelectRows(trainRows), request.Hyperparameters, seed + f, cancellationToken);
            models.Add(model);
            fitSeconds += time.GetElapsedTime(started).TotalSeconds;

            started = time.GetTimestamp();
            var outputs = model.Predict(valid.Features);
            predictSeconds += time.GetElapsedTime(started).TotalSeconds;
            predictedRows += validRows.Length;
            for (var i = 0; i < validRows.Length; i++)
            {
                outOfFold[validRows[i]] = outputs[i];
            }

            var score = MetricEvaluator.Score(metric, set.Task, valid.Labels, outputs);
            foldScores.Add(score);
            foreach (var (kind, value) in MetricEvaluator.ScoreAll(set.Task, valid.Labels, outputs))
            {
                metricSums[MetricCatalog.NameOf(kind)] = metricSums.GetValueOrDefault(MetricCatalog.NameOf(kind)) + value;
            }

            if (f == 0)
            {
                modelBytes = await ModelSize.MeasureAsync(model.SaveAsync, cancellationToken);
                if (data.Folds.Count > 1 && !request.KeepGoing(score))
                {
                    return (Result(request, TrialStatus.Pruned, foldScores, metricSums, fitSeconds, predictSeconds, predictedRows, modelBytes), null);
                }
            }
        }

        return (Result(request, TrialStatus.Completed, foldScores, metricSums, fitSeconds, predictSeconds, predictedRows, modelBytes), outOfFold);
    }

    private static TrialResult Result(TrialRequest request, TrialStatus status, List<double> foldScores, Dictionary<string, double> metricSums,
        double fitSeconds, double predictSeconds, int predictedRows, long? modelBytes) =>
        new(
            request.Number,
            request.Learner.Name,
            request.Hyperparameters,
            status,
            foldScores.Average(),
            foldScores,
            metricSums.ToDictionary(p => p.Key, p => p.Value / foldScores.Count, StringComparer.Ordinal),
            fitSeconds / foldScores.Count,
            predictedRows == 0 ? 0 : predictSeconds * 1e6 / predictedRows,
            modelBytes);
}
