using Ferry.Data.Images;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>A scored image trial and what the search needs to package it without a refit.</summary>
/// <param name="Result">The trial as the leaderboard ranks it.</param>
/// <param name="Model">The first fold's model (trained on that fold's training images); null when the trial was pruned.</param>
/// <param name="TrainImages">How many images the first fold's model was trained on.</param>
/// <param name="BestEpoch">The mean epoch whose weights the folds kept (early stopping), when the learner reports it.</param>
/// <param name="SecondsPerEpoch">The mean time of one epoch over the first fold's images, when the learner reports epochs.</param>
internal sealed record ImageTrial(TrialResult Result, IImageModel? Model, int TrainImages, double? BestEpoch, double? SecondsPerEpoch);

/// <summary>
/// Scores one image trial, as <c>TrialRunner</c> does for tables: fits the learner on each fold's training images,
/// scores the validation images with the search metric and, after the first fold, asks whether to go on
/// (successive halving). Folds may lack a rare class; probabilities are aligned to the search's classes by name.
/// </summary>
internal sealed class ImageTrialRunner(PreparedImageSearch data, MetricKind metric, TimeProvider time, int seed)
{
    /// <summary>Runs the trial; cancellation stops it between folds and inside a fit between batches.</summary>
    public async Task<ImageTrial> RunAsync(IImageLearner learner, TrialRequest request, Hyperparameters configuration, CancellationToken cancellationToken)
    {
        var foldScores = new List<double>();
        var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
        double fitSeconds = 0, predictSeconds = 0;
        var predicted = 0;
        var bestEpochs = new List<double>();
        long? modelBytes = null;
        IImageModel? first = null;
        double? secondsPerEpoch = null;
        try
        {
            for (var f = 0; f < data.Folds.Count; f++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (trainRows, validRows) = data.Folds[f];
                var started = time.GetTimestamp();
                IImageModel? model = await learner.FitAsync(new ImageDataset(trainRows.Select(r => data.Search.Items[r])), configuration, seed + f, cancellationToken);
                var seconds = time.GetElapsedTime(started).TotalSeconds;
                fitSeconds += seconds;
                if (model is CnnModel { Report: { } report })
                {
                    bestEpochs.Add(report.BestEpoch);
                    secondsPerEpoch ??= seconds / Math.Max(1, report.Epochs);
                }

                try
                {
                    started = time.GetTimestamp();
                    var outputs = Align(model.Classes, data.Classes, model.Predict([.. validRows.Select(r => data.Search.Items[r])]));
                    predictSeconds += time.GetElapsedTime(started).TotalSeconds;
                    predicted += validRows.Length;
                    var labels = validRows.Select(r => data.SearchLabels[r]).ToArray();
                    var score = MetricEvaluator.Score(metric, data.Task, labels, outputs);
                    foldScores.Add(score);
                    foreach (var (kind, value) in MetricEvaluator.ScoreAll(data.Task, labels, outputs))
                    {
                        metricSums[MetricCatalog.NameOf(kind)] = metricSums.GetValueOrDefault(MetricCatalog.NameOf(kind)) + value;
                    }

                    if (f == 0)
                    {
                        modelBytes = await ModelSize.MeasureAsync(model.SaveAsync, cancellationToken);
                        (first, model) = (model, null);
                        if (data.Folds.Count > 1 && !request.KeepGoing(score))
                        {
                            return Trial(TrialStatus.Pruned);
                        }
                    }
                }
                finally
                {
                    model?.Dispose();
                }
            }

            var trial = Trial(TrialStatus.Completed);
            first = null;
            return trial;
        }
        finally
        {
            // Only a completed trial hands its model on; every other path leaves nothing behind.
            first?.Dispose();
        }

        ImageTrial Trial(TrialStatus status) => new(
            new TrialResult(
                request.Number,
                learner.Name,
                configuration,
                status,
                foldScores.Average(),
                foldScores,
                metricSums.ToDictionary(p => p.Key, p => p.Value / foldScores.Count, StringComparer.Ordinal),
                fitSeconds / foldScores.Count,
                predicted == 0 ? 0 : predictSeconds * 1e6 / predicted,
                modelBytes),
            status == TrialStatus.Completed ? first : null,
            data.Folds[0].Train.Length,
            bestEpochs.Count == 0 ? null : bestEpochs.Average(),
            secondsPerEpoch);
    }

    /// <summary>Probabilities in the order of <paramref name="classes"/>: a class the model never saw gets 0.</summary>
    public static float[][] Align(IReadOnlyList<string> modelClasses, IReadOnlyList<string> classes, float[][] probabilities)
    {
        if (modelClasses.SequenceEqual(classes, StringComparer.Ordinal))
        {
            return probabilities;
        }

        var columns = classes.Select(c => modelClasses.ToList().IndexOf(c)).ToArray();
        return [.. probabilities.Select(p => columns.Select(c => c < 0 ? 0f : p[c]).ToArray())];
    }
}
