using Ferry.Learn.Evaluation;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;

namespace Ferry.Learn.Search;

/// <summary>
/// Writes a search to the tracking store the same way whatever it searched (tables or images): each trial as a
/// child run of the search run, and the search run's defaults, best configuration, scores and package at the end.
/// </summary>
internal static class SearchRecorder
{
    /// <summary>Records <paramref name="result"/> as a finished child run of <paramref name="parent"/>; returns its run id.</summary>
    public static async Task<string> RecordTrialAsync(Tracker tracker, TrackedRun parent, string experiment, TrialResult result, CancellationToken cancellationToken)
    {
        await using var run = await tracker.StartRunAsync(experiment, $"trial-{result.Number}-{result.Learner}", parent, cancellationToken);
        run.LogParam("learner", result.Learner);
        foreach (var (name, value) in result.Hyperparameters.Values)
        {
            run.LogParam(name, value);
        }

        run.SetTag("ferry.trial.status", result.Status.ToString().ToLowerInvariant());
        if (result.Error is { } error)
        {
            run.SetTag("ferry.trial.error", error.Length > 5000 ? error[..5000] : error);
        }

        for (var fold = 0; fold < result.FoldScores.Count; fold++)
        {
            run.LogMetric("fold_score", result.FoldScores[fold], fold);
        }

        if (!double.IsNaN(result.Score))
        {
            run.LogMetric("score", result.Score);
        }

        foreach (var (name, value) in result.Metrics)
        {
            run.LogMetric(name, value);
        }

        run.LogMetric("fit_seconds", result.FitSeconds);
        run.LogMetric("predict_us_per_row", result.PredictMicrosecondsPerRow);
        if (result.ModelBytes is { } bytes)
        {
            run.LogMetric("model_bytes", bytes);
        }

        await run.EndAsync(result.Status switch
        {
            TrialStatus.Failed => RunStatus.Failed,
            TrialStatus.Cancelled => RunStatus.Killed,
            _ => RunStatus.Finished,
        }, cancellationToken);
        return run.RunId;
    }

    /// <summary>
    /// Records how the search ended on its run: the defaults as <c>ferry.default.*</c> tags, the best trial's
    /// learner and configuration as <c>best.*</c> params, its validation score, the test scores, the package as an
    /// artifact; then ends the run (killed after Ctrl+C, finished otherwise).
    /// </summary>
    public static async Task RecordOutcomeAsync(
        TrackedRun searchRun, IEnumerable<DefaultChoice> defaults, TrialResult best, MetricKind metric,
        IReadOnlyDictionary<string, double> testMetrics, int trials, string packageFolder, bool stoppedEarly)
    {
        foreach (var choice in defaults)
        {
            searchRun.SetTag($"ferry.default.{choice.Setting}", $"{choice.Value}: {choice.Reason}");
        }

        searchRun.LogParam("best.learner", best.Learner);
        foreach (var (name, value) in best.Hyperparameters.Values)
        {
            searchRun.LogParam($"best.{name}", value);
        }

        searchRun.LogMetric($"validation_{MetricCatalog.NameOf(metric)}", best.Score);
        foreach (var (name, value) in testMetrics)
        {
            searchRun.LogMetric($"test_{name}", value);
        }

        searchRun.LogMetric("trials", trials);
        // The package is the point of the search: it is stored and the run closed even after Ctrl+C.
        await searchRun.LogArtifactAsync(packageFolder, cancellationToken: CancellationToken.None);
        await searchRun.EndAsync(stoppedEarly ? RunStatus.Killed : RunStatus.Finished, CancellationToken.None);
    }
}
