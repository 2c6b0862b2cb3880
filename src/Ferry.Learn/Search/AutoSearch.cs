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
public sealed class AutoSearch(IReadOnlyList<ILearner> zoo, TimeProvider time) : IModelSearch
{
    /// <inheritdoc />
    public event Action<IReadOnlyList<TrialResult>>? LeaderboardChanged;

    /// <inheritdoc />
    public event Action<string>? StageChanged;

    /// <inheritdoc />
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
        var metric = ChooseMetric(settings.Metric, prepared.Traits, prepared.Defaults);
        var learners = SkipIdle(Learners(settings, schema.Task), prepared);
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
        using var foldModels = new FoldModels();
        board.Changed += foldModels.Prune;
        var scheduler = new TrialScheduler(time, SearchBudget.Parallelism(settings), SearchBudget.MaxTrials(settings), settings.Seed);
        var deadline = SearchBudget.TrialDeadline(started, settings.Budget);
        await scheduler.RunAsync(learners, prepared.Traits, async (request, ct) =>
        {
            TrialResult result;
            try
            {
                (result, var predictions, var models) = await runner.RunAsync(request, ct);
                if (predictions is not null)
                {
                    outOfFold[result.Number] = predictions;
                }

                if (models is not null)
                {
                    foldModels.Offer(result.Number, models);
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

            return searchRun is null ? result : result with { RunId = await SearchRecorder.RecordTrialAsync(tracker!, searchRun, ExperimentName(settings), result, CancellationToken.None) };
        }, board, deadline, started + settings.Budget, cancellationToken);

        _ = board.Best ?? throw NoTrial(board);
        var ensemble = await AddEnsembleAsync(settings, tracker, searchRun, prepared, metric, board, outOfFold, scheduler.Started + 1, started, cancellationToken);
        var best = board.Best!;
        IFittedModel[]? shipped = null;
        if (best.Number != ensemble?.Result.Number)
        {
            // A single trial may be too slow to refit within the budget (an ensemble's members were chosen to fit).
            (best, var useFoldModels, var refitReason) = RefitChoice.Pick(board.Ranked(), prepared.Data, started + settings.Budget - time.GetUtcNow(), foldModels.Has);
            shipped = useFoldModels ? foldModels.Take(best.Number) : null;
            if (refitReason is not null)
            {
                prepared.Defaults.Add(refitReason);
            }
        }

        var isEnsemble = best.Number == ensemble?.Result.Number;
        StageChanged?.Invoke(isEnsemble
            ? $"refitting the ensemble's {ensemble!.Members.Count} members on every search row and scoring the test set"
            : shipped is not null
                ? $"packaging {best.Learner}'s fold models (no time left to refit) and scoring the test set"
                : $"refitting {best.Learner} on every search row and scoring the test set");
        using var final = await FinalModel.FitAsync(best, ensemble, isEnsemble ? ensemble!.OutOfFold : outOfFold.GetValueOrDefault(best.Number),
            learners, prepared, metric, settings.Seed, SearchBudget.Parallelism(settings), shipped);
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
            await SearchRecorder.RecordOutcomeAsync(searchRun, prepared.Defaults, best, metric, testMetrics, board.Count, packageFolder, cancellationToken.IsCancellationRequested);
        }

        return new SearchOutcome(schema, prepared.Analysis.ContentHash, metric, prepared.Defaults, board.Ranked(), best, threshold, testMetrics,
            Path.GetFullPath(packageFolder), searchRun?.RunId, cancellationToken.IsCancellationRequested);
    }

    /// <summary>The experiment searches are recorded under: the data file's name without extension, or the image folder's name.</summary>
    public static string ExperimentName(SearchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // An image folder given as "shapes/" is named by its last folder, not by the empty name after the slash.
        var path = Path.TrimEndingDirectorySeparator(settings.DataPath);
        return Directory.Exists(path) ? Path.GetFileName(path) : Path.GetFileNameWithoutExtension(path);
    }

    /// <summary>The metric the user named (checked against the task), else the default for the data, recorded with its reason.</summary>
    internal static MetricKind ChooseMetric(MetricKind? chosen, DataTraits traits, List<DefaultChoice> defaults)
    {
        if (chosen is { } metric)
        {
            MetricCatalog.Check(metric, traits.Task);
            return metric;
        }

        var choice = MetricCatalog.DefaultFor(traits);
        defaults.Add(new("metric", MetricCatalog.NameOf(choice.Metric), choice.Reason));
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

    /// <summary>
    /// Leaves out learners that offer no starting configuration for this data (Poisson regression on negative targets,
    /// ridge on data too wide to solve exactly): their trials could only fail. Stated as a default; kept when no
    /// learner would be left, so that the fit's own error says what is wrong.
    /// </summary>
    private static List<ILearner> SkipIdle(List<ILearner> learners, PreparedSearch prepared)
    {
        var idle = learners.Where(l => l.Portfolio(prepared.Traits).Count == 0).ToList();
        if (idle.Count == 0 || idle.Count == learners.Count)
        {
            return learners;
        }

        prepared.Defaults.Add(new("learners.skipped", string.Join(", ", idle.Select(l => l.Name)),
            "they offer no starting configuration for data like this (lbfgs fits Poisson regression, which needs non-negative targets; ridge solves exactly, which is too costly on very wide data), so their trials could only fail"));
        return [.. learners.Except(idle)];
    }

    /// <summary>After the trials (unless turned off or stopped by Ctrl+C): the ensemble candidate, recorded as one more child run and ranked.</summary>
    private async Task<EnsembleCandidate?> AddEnsembleAsync(SearchSettings settings, Tracker? tracker, TrackedRun? searchRun, PreparedSearch prepared, MetricKind metric,
        Leaderboard board, ConcurrentDictionary<int, float[][]> outOfFold, int number, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (!settings.Ensemble || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        StageChanged?.Invoke("selecting an ensemble of the best trials");
        var ensemble = EnsembleCandidate.Build(board.Ranked(), outOfFold, prepared.Data, metric, number, time, started + settings.Budget, SearchBudget.Parallelism(settings));
        if (ensemble is not null)
        {
            ensemble = searchRun is null ? ensemble : ensemble with { Result = ensemble.Result with { RunId = await SearchRecorder.RecordTrialAsync(tracker!, searchRun, ExperimentName(settings), ensemble.Result, CancellationToken.None) } };
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

    /// <summary>The error for a search that ends without a completed trial, quoting the first failures.</summary>
    internal static FerryException NoTrial(Leaderboard board)
    {
        var failures = board.Ranked().Where(t => t.Error is not null).Select(t => $"{t.Learner}: {t.Error}").Distinct().Take(3).ToList();
        return FerryException.Invalid("SEARCH_NO_MODEL", board.Count == 0
            ? "no trial finished within the budget; give more time with --time"
            : $"no trial completed ({board.Count} tried); first errors: {string.Join("; ", failures)}. Give more time with --time or check the data");
    }
}
