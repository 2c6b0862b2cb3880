using System.Globalization;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// The end of an image search: the final model (the best configuration refit on every search image when the budget
/// leaves time for it, else the best trial's own model), one score on the untouched test images, and the package
/// with its reference profile. A CNN refit can take as long as a trial, so unlike a tabular refit it is only
/// started when its estimated time fits, and it is stopped (keeping the trial's model) if it overruns.
/// </summary>
internal sealed class ImageSearchFinish(PreparedImageSearch data, TimeProvider time, int seed, Action<string>? stage)
{
    /// <summary>The most images the reference profile is built from; more only costs prediction time.</summary>
    private const int ReferenceImages = 2000;

    /// <summary>Estimates are padded by this factor: a loaded machine runs slower than the trials measured.</summary>
    private const double Safety = 1.25;

    /// <summary>Makes the final model, scores it on the test images and writes the package; returns the test scores by metric name.</summary>
    public async Task<IReadOnlyDictionary<string, double>> RunAsync(
        IImageLearner learner, TrialResult best, ImageTrial? kept, string packageFolder, DateTimeOffset budgetEnd, TimeSpan budget, string? runId, CancellationToken cancellationToken)
    {
        var reference = ReferenceRows();
        var model = await FinalModelAsync(learner, best, kept, budgetEnd, budget, reference.Length, cancellationToken);
        var signature = ImagePackage.Signature(model, data.Analysis.Schema.Label, data.Pixels);
        using var predictor = new ImagePredictor(model, signature, data.Pixels);

        stage?.Invoke("scoring the test images and writing the model package");
        var outputs = ImageTrialRunner.Align(model.Classes, data.Classes, predictor.PredictImages(data.Test.Items).Probabilities!.ToArray());
        var testMetrics = MetricEvaluator.ScoreAll(data.Task, data.TestLabels, outputs)
            .ToDictionary(p => MetricCatalog.NameOf(p.Key), p => p.Value, StringComparer.Ordinal);

        var profile = ReferenceProfileBuilder.Build(
            data.SearchRows.SelectRows(reference), signature, predictor.PredictImages([.. reference.Select(i => data.Search.Items[i])]), "search images");
        var training = new TrainingInfo(time.GetUtcNow(), typeof(ImageSearch).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            runId, data.Analysis.ContentHash, seed, TorchFlavor.LibraryVersions());
        // The package is the point of the search: written even after Ctrl+C.
        await ImagePackage.WriteAsync(packageFolder, learner.Name, model, signature, training, data.Pixels, profile, CancellationToken.None);
        return testMetrics;
    }

    private async Task<IImageModel> FinalModelAsync(
        IImageLearner learner, TrialResult best, ImageTrial? kept, DateTimeOffset budgetEnd, TimeSpan budget, int referenceCount, CancellationToken cancellationToken)
    {
        var images = data.Search.Count;
        if (kept?.Model is not { } trialModel)
        {
            // Nothing to fall back on (the best trial's model was not kept): the refit must finish, as a tabular one does.
            stage?.Invoke($"refitting {best.Learner} on all {images:N0} search images");
            Record("all search images", $"the best configuration was refit on all {images:N0} search images");
            return await learner.FitAsync(data.Search, best.Hyperparameters, seed, CancellationToken.None);
        }

        var trained = $"the best trial's own model (trained on {kept.TrainImages:N0} of the {images:N0} search images) is packaged";
        if (cancellationToken.IsCancellationRequested)
        {
            Record("skipped", $"stopped with Ctrl+C: {trained}, without a refit");
            return trialModel;
        }

        var epochs = RefitEpochs(kept, best.Hyperparameters);
        var estimate = TimeSpan.FromSeconds(Safety * images / Math.Max(1, kept.TrainImages)
            * (kept.SecondsPerEpoch is { } perEpoch ? perEpoch * epochs : best.FitSeconds));
        var packaging = TimeSpan.FromSeconds(0.5 + (Safety * best.PredictMicrosecondsPerRow * 1e-6 * (data.Test.Count + referenceCount)));
        var left = budgetEnd - time.GetUtcNow() - packaging;
        if (estimate > left)
        {
            Record("skipped", $"a refit on all {images:N0} search images would take about {Seconds(estimate)} s and the budget leaves {Seconds(left)} s: {trained}. Give more time with --time to refit");
            return trialModel;
        }

        stage?.Invoke($"refitting {best.Learner} on all {images:N0} search images ({epochs} epochs at most)");
        // The budget holds within 10%: a refit that overruns its estimate by more is stopped and the trial's model kept.
        using var overrun = new CancellationTokenSource(left + (budget * 0.05), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(overrun.Token, cancellationToken);
        try
        {
            var refit = await learner.FitAsync(data.Search, best.Hyperparameters.With(CnnSearchSpace.Epochs, epochs), seed, stop.Token);
            trialModel.Dispose();
            Record("all search images", $"the best configuration was refit on all {images:N0} search images for at most {epochs} epochs (its trials stopped early around epoch {kept.BestEpoch?.ToString("0", CultureInfo.InvariantCulture) ?? "?"})");
            return refit;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Record("stopped", $"the refit on all search images ran past the budget (or Ctrl+C) and was stopped: {trained}");
            return trialModel;
        }
    }

    /// <summary>About the epochs the best trial's folds kept (early stopping) plus a fifth for the larger set, within the configured maximum.</summary>
    private static int RefitEpochs(ImageTrial kept, Hyperparameters configuration)
    {
        var configured = configuration.WholeNumber(CnnSearchSpace.Epochs, 60);
        return kept.BestEpoch is { } bestEpoch ? Math.Clamp((int)Math.Ceiling(bestEpoch * 1.2) + 1, 1, configured) : configured;
    }

    /// <summary>Evenly spaced search images for the reference profile, at most <see cref="ReferenceImages"/>.</summary>
    private int[] ReferenceRows()
    {
        var count = Math.Min(ReferenceImages, data.Search.Count);
        return [.. Enumerable.Range(0, count).Select(i => (int)((long)i * data.Search.Count / count)).Distinct()];
    }

    private void Record(string value, string reason) => data.Defaults.Add(new("refit", value, reason));

    private static string Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture);
}
