using System.Collections.Concurrent;
using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Packaging;
using Ferry.Learn.Training;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;

namespace Ferry.Learn.Search;

/// <summary>
/// <c>ferry train</c>: load and check the data, hold out a test set, search the zoo within the budget (each trial a
/// child run of one search run), tune the binary threshold, refit the best configuration on every search row,
/// score it once on the test set, and write the model package.
/// </summary>
public sealed class AutoSearch(IReadOnlyList<ILearner> zoo, TimeProvider time)
{
    /// <summary>The share of the budget the trials may use; the rest is for refit, test and packaging.</summary>
    private const double SearchShare = 0.85;

    /// <summary>The least time kept for refit, test and packaging, however small the budget (at most half of it).</summary>
    private static readonly TimeSpan MinReserve = TimeSpan.FromSeconds(1.5);

    /// <summary>Raised with the ranked trials whenever one finishes (for a live table).</summary>
    public event Action<IReadOnlyList<TrialResult>>? LeaderboardChanged;

    /// <summary>Raised when a stage starts (loading, searching, refitting, packaging).</summary>
    public event Action<string>? StageChanged;

    /// <summary>Runs the search and writes the package into <paramref name="packageFolder"/> (which must not exist).</summary>
    /// <param name="settings">What to learn and how.</param>
    /// <param name="packageFolder">Where the model package goes.</param>
    /// <param name="tracker">Records the search run and a child run per trial; null to record nothing.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the search, keeps finished trials and still packages the best.</param>
    public async Task<SearchOutcome> RunAsync(SearchSettings settings, string packageFolder, Tracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var started = time.GetUtcNow();
        // Settings errors first, before the data is read.
        SpaceOverrides.Resolve(zoo, settings.Space);
        SearchSplits.KindOf(settings);
        StageChanged?.Invoke("loading and checking the data");
        var prepared = await SearchPreparation.PrepareAsync(settings, cancellationToken);
        var schema = prepared.Analysis.Schema;
        var metric = ChooseMetric(settings, prepared);
        var learners = Learners(settings, schema.Task);
        foreach (var learner in learners)
        {
            // A learner's own data-driven choices (the MLP's focal loss, say) are defaults like the search's, named after it.
            prepared.Defaults.AddRange(learner.PortfolioDefaults(prepared.Traits).Select(choice => choice with { Setting = $"{learner.Name}.{choice.Setting}" }));
        }

        var board = new Leaderboard(MetricCatalog.HigherIsBetter(metric));
        board.Changed += ranked => LeaderboardChanged?.Invoke(ranked);

        await using var searchRun = tracker is null ? null : await tracker.StartRunAsync(ExperimentName(settings), $"search-{Path.GetFileNameWithoutExtension(settings.DataPath)}", cancellationToken: cancellationToken);
        foreach (var (name, value) in SearchParams(settings, prepared, metric).Concat(SearchSplits.Params(settings)).Concat(SpaceOverrides.Params(settings.Space)))
        {
            searchRun?.LogParam(name, value);
        }

        try
        {
            return await SearchAsync(settings, packageFolder, tracker, searchRun, prepared, metric, learners, board, started, cancellationToken);
        }
        catch (Exception) when (searchRun is not null)
        {
            await searchRun.EndAsync(cancellationToken.IsCancellationRequested ? RunStatus.Killed : RunStatus.Failed, CancellationToken.None);
            throw;
        }
    }

    private async Task<SearchOutcome> SearchAsync(SearchSettings settings, string packageFolder, Tracker? tracker, TrackedRun? searchRun, PreparedSearch prepared,
        MetricKind metric, List<ILearner> learners, Leaderboard board, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var schema = prepared.Analysis.Schema;
        StageChanged?.Invoke($"searching {learners.Count} learners for {settings.Budget.TotalSeconds:0} s");
        var outOfFold = new ConcurrentDictionary<int, float[][]>();
        var runner = new TrialRunner(prepared.Data, metric, time, settings.Seed);
        var scheduler = new TrialScheduler(time, Parallelism(settings), settings.MaxTrials ?? (settings.Deterministic ? 24 : int.MaxValue), settings.Seed);
        var reserve = settings.Budget * (1 - SearchShare);
        reserve = reserve < MinReserve ? (MinReserve < settings.Budget / 2 ? MinReserve : settings.Budget / 2) : reserve;
        var deadline = started + settings.Budget - reserve;
        await scheduler.RunAsync(learners, prepared.Traits, async (request, ct) =>
        {
            TrialResult result;
            try
            {
                (result, var predictions) = await runner.RunAsync(request, ct);
                if (predictions is not null)
                {
                    outOfFold[result.Number] = predictions;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Recorded like any trial: a learner that cannot fit this data is worth seeing in the tracking UI.
                result = new TrialResult(request.Number, request.Learner.Name, request.Hyperparameters, TrialStatus.Failed, double.NaN, [],
                    new Dictionary<string, double>(), 0, 0, Error: e.Message);
            }

            if (ct.IsCancellationRequested)
            {
                // Finished after the deadline: the search has moved on without it.
                return result with { Status = TrialStatus.Cancelled };
            }

            return searchRun is null ? result : result with { RunId = await RecordTrialAsync(tracker!, searchRun, settings, result, CancellationToken.None) };
        }, board, deadline, started + settings.Budget, cancellationToken);

        _ = board.Best ?? throw NoTrial(board);
        var ensemble = await AddEnsembleAsync(settings, tracker, searchRun, prepared, metric, board, outOfFold, scheduler.Started + 1, started, cancellationToken);
        var best = board.Best!;
        var isEnsemble = best.Number == ensemble?.Result.Number;
        StageChanged?.Invoke(isEnsemble
            ? $"refitting the ensemble's {ensemble!.Members.Count} members on every search row and scoring the test set"
            : $"refitting {best.Learner} on every search row and scoring the test set");
        using var final = await FinalModel.FitAsync(best, ensemble, isEnsemble ? ensemble!.OutOfFold : outOfFold.GetValueOrDefault(best.Number),
            learners, prepared, metric, settings.Seed, Parallelism(settings));
        var threshold = final.Threshold;
        var testLabels = TrainingSets.EncodeLabels(prepared.TestRows[schema.Label], schema);
        var testOutputs = await final.ScoreAsync(prepared.TestRows, CancellationToken.None);
        var testMetrics = MetricEvaluator.ScoreAll(schema.Task, testLabels, testOutputs, threshold)
            .ToDictionary(p => MetricCatalog.NameOf(p.Key), p => p.Value, StringComparer.Ordinal);

        StageChanged?.Invoke("writing the model package");
        var reference = ReferenceProfileBuilder.Build(prepared.SearchRows, final.Predictor.Signature,
            await final.Predictor.PredictAsync(prepared.SearchRows, CancellationToken.None), settings.DataPath);
        var training = new TrainingInfo(time.GetUtcNow(), typeof(AutoSearch).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            searchRun?.RunId, prepared.Analysis.ContentHash, settings.Seed, LibraryVersions(learners, isEnsemble ? ensemble!.Members : [best]));
        await final.WriteAsync(packageFolder, training, reference, CancellationToken.None);
        if (searchRun is not null)
        {
            foreach (var choice in prepared.Defaults)
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

            searchRun.LogMetric("trials", board.Count);
            await searchRun.LogArtifactAsync(packageFolder, cancellationToken: CancellationToken.None);
            await searchRun.EndAsync(cancellationToken.IsCancellationRequested ? RunStatus.Killed : RunStatus.Finished, CancellationToken.None);
        }

        return new SearchOutcome(schema, prepared.Analysis.ContentHash, metric, prepared.Defaults, board.Ranked(), best, threshold, testMetrics,
            Path.GetFullPath(packageFolder), searchRun?.RunId, cancellationToken.IsCancellationRequested);
    }

    /// <summary>The experiment searches are recorded under: the data file's name.</summary>
    public static string ExperimentName(SearchSettings settings) => Path.GetFileNameWithoutExtension(settings.DataPath);

    private static MetricKind ChooseMetric(SearchSettings settings, PreparedSearch prepared)
    {
        if (settings.Metric is { } chosen)
        {
            MetricCatalog.Check(chosen, prepared.Analysis.Schema.Task);
            return chosen;
        }

        var choice = MetricCatalog.DefaultFor(prepared.Traits);
        prepared.Defaults.Add(new("metric", MetricCatalog.NameOf(choice.Metric), choice.Reason));
        return choice.Metric;
    }

    private List<ILearner> Learners(SearchSettings settings, TaskKind task)
    {
        var unknown = (settings.Include ?? []).Concat(settings.Exclude ?? []).Where(n => zoo.All(l => l.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw FerryException.Usage("LEARNER_UNKNOWN", $"unknown learner(s) {string.Join(", ", unknown)}; the zoo has {string.Join(", ", zoo.Select(l => l.Name))}");
        }

        var learners = zoo.Where(l => l.Supports(task) && (settings.Include is null || settings.Include.Contains(l.Name)) && settings.Exclude?.Contains(l.Name) != true).ToList();
        return learners.Count > 0
            ? SpaceOverrides.Apply(zoo, learners, settings.Space)
            : throw FerryException.Usage("LEARNER_NONE", $"no learner left for a {task.ToString().ToLowerInvariant()} task after include/exclude; the zoo has {string.Join(", ", zoo.Where(l => l.Supports(task)).Select(l => l.Name))}");
    }

    private static int Parallelism(SearchSettings settings) =>
        settings.Deterministic ? 1 : settings.Parallelism ?? Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>After the trials (unless turned off or stopped by Ctrl+C): the ensemble candidate, recorded as one more child run and ranked.</summary>
    private async Task<EnsembleCandidate?> AddEnsembleAsync(SearchSettings settings, Tracker? tracker, TrackedRun? searchRun, PreparedSearch prepared, MetricKind metric,
        Leaderboard board, ConcurrentDictionary<int, float[][]> outOfFold, int number, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (!settings.Ensemble || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        StageChanged?.Invoke("selecting an ensemble of the best trials");
        var ensemble = EnsembleCandidate.Build(board.Ranked(), outOfFold, prepared.Data, metric, number, time, started + settings.Budget, Parallelism(settings));
        if (ensemble is not null)
        {
            ensemble = searchRun is null ? ensemble : ensemble with { Result = ensemble.Result with { RunId = await RecordTrialAsync(tracker!, searchRun, settings, ensemble.Result, CancellationToken.None) } };
            board.Add(ensemble.Result);
        }

        return ensemble;
    }

    private static Dictionary<string, string> SearchParams(SearchSettings settings, PreparedSearch prepared, MetricKind metric) => new(StringComparer.Ordinal)
    {
        ["data"] = settings.DataPath,
        ["data.hash"] = prepared.Analysis.ContentHash,
        ["label"] = prepared.Analysis.Schema.Label,
        ["task"] = prepared.Analysis.Schema.Task.ToString().ToLowerInvariant(),
        ["metric"] = MetricCatalog.NameOf(metric),
        ["budget_seconds"] = settings.Budget.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        ["deterministic"] = settings.Deterministic ? "true" : "false",
        ["rows.search"] = prepared.SearchRows.RowCount.ToString(CultureInfo.InvariantCulture),
        ["rows.test"] = prepared.TestRows.RowCount.ToString(CultureInfo.InvariantCulture),
        ["folds"] = prepared.Data.Folds.Count.ToString(CultureInfo.InvariantCulture),
        ["ensemble"] = settings.Ensemble ? "true" : "false",
    };

    private static async Task<string> RecordTrialAsync(Tracker tracker, TrackedRun parent, SearchSettings settings, TrialResult result, CancellationToken cancellationToken)
    {
        await using var run = await tracker.StartRunAsync(ExperimentName(settings), $"trial-{result.Number}-{result.Learner}", parent, cancellationToken);
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

    /// <summary>The runtime versions of every learner the shipped model uses (one, or each ensemble member's).</summary>
    private static SortedDictionary<string, string> LibraryVersions(IEnumerable<ILearner> learners, IEnumerable<TrialResult> used)
    {
        var names = used.Select(t => t.Learner).ToHashSet(StringComparer.Ordinal);
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (library, version) in learners.Where(l => names.Contains(l.Name)).SelectMany(l => l.LibraryVersions()))
        {
            versions[library] = version;
        }

        return versions;
    }

    private static FerryException NoTrial(Leaderboard board)
    {
        var failures = board.Ranked().Where(t => t.Error is not null).Select(t => $"{t.Learner}: {t.Error}").Distinct().Take(3).ToList();
        return FerryException.Invalid("SEARCH_NO_MODEL", board.Count == 0
            ? "no trial finished within the budget; give more time with --time"
            : $"no trial completed ({board.Count} tried); first errors: {string.Join("; ", failures)}. Give more time with --time or check the data");
    }
}
