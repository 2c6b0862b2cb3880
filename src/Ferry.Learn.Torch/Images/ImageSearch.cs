using System.Globalization;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Search;
using Ferry.Learn.Training;
using Ferry.Tracking.Client;
using Ferry.Tracking.Model;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// <c>ferry train FOLDER</c> (and <c>--pixels</c> tables): load the images, hold out a stratified test split, search
/// CNN configurations within the budget (the portfolio first, then sampled ones; each trial a child run of one
/// search run), refit the best on every search image when the budget allows, score it once on the test images and
/// write the model package. The scheduling, budget and tracking records are the tabular search's own; trials run one
/// at a time unless <see cref="SearchSettings.Parallelism"/> says otherwise.
/// </summary>
/// <param name="zoo">The image learners to search (see <see cref="DefaultZoo"/>).</param>
/// <param name="time">The clock the budget is measured with.</param>
public sealed class ImageSearch(IReadOnlyList<IImageLearner> zoo, TimeProvider time) : IModelSearch
{
    /// <inheritdoc />
    public event Action<IReadOnlyList<TrialResult>>? LeaderboardChanged;

    /// <inheritdoc />
    public event Action<string>? StageChanged;

    /// <summary>The image learners Ferry ships: the small CNN.</summary>
    public static IReadOnlyList<IImageLearner> DefaultZoo() => [new CnnTrainer()];

    /// <inheritdoc />
    /// <remarks>
    /// A folder at <see cref="SearchSettings.DataPath"/> is an image folder (one subfolder per class); a file is a
    /// table whose columns p0..p63 hold 8x8 images (the digits layout), and the package then predicts from such rows.
    /// </remarks>
    public async Task<SearchOutcome> RunAsync(SearchSettings settings, string packageFolder, Tracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var started = time.GetUtcNow();
        var learners = Learners(settings);
        StageChanged?.Invoke("loading and checking the images");
        var prepared = await ImageSearchPreparation.PrepareAsync(settings, cancellationToken);
        var metric = AutoSearch.ChooseMetric(settings.Metric, prepared.Traits, prepared.Defaults);
        prepared.Defaults.AddRange(ImageDefaults.Describe(learners[0].Portfolio(prepared.ImageTraits), prepared.ImageTraits));
        var board = new Leaderboard(MetricCatalog.HigherIsBetter(metric));
        board.Changed += ranked => LeaderboardChanged?.Invoke(ranked);

        var experiment = AutoSearch.ExperimentName(settings);
        await using var searchRun = tracker is null ? null : await tracker.StartRunAsync(experiment, $"search-{experiment}", cancellationToken: cancellationToken);
        foreach (var (name, value) in SearchParams(settings, prepared, metric))
        {
            searchRun?.LogParam(name, value);
        }

        using var kept = new BestTrialModel(board);
        try
        {
            await SearchAsync(settings, tracker, searchRun, experiment, prepared, metric, learners, board, kept, started, cancellationToken);
            var best = board.Best ?? throw AutoSearch.NoTrial(board);
            var finish = new ImageSearchFinish(prepared, time, settings.Seed, StageChanged);
            var testMetrics = await finish.RunAsync(
                learners.First(l => l.Name == best.Learner), best, kept.Take(best), packageFolder, started + settings.Budget, settings.Budget, searchRun?.RunId, cancellationToken);
            if (searchRun is not null)
            {
                await SearchRecorder.RecordOutcomeAsync(searchRun, prepared.Defaults, best, metric, testMetrics, board.Count, packageFolder, cancellationToken.IsCancellationRequested);
            }

            return new SearchOutcome(prepared.Analysis.Schema, prepared.Analysis.ContentHash, metric, prepared.Defaults, board.Ranked(), best, 0.5, testMetrics,
                Path.GetFullPath(packageFolder), searchRun?.RunId, cancellationToken.IsCancellationRequested);
        }
        catch (Exception) when (searchRun is not null)
        {
            await searchRun.EndAsync(cancellationToken.IsCancellationRequested ? RunStatus.Killed : RunStatus.Failed, CancellationToken.None);
            throw;
        }
    }

    private async Task SearchAsync(SearchSettings settings, Tracker? tracker, TrackedRun? searchRun, string experiment, PreparedImageSearch prepared,
        MetricKind metric, List<IImageLearner> learners, Leaderboard board, BestTrialModel kept, DateTimeOffset started, CancellationToken cancellationToken)
    {
        StageChanged?.Invoke($"searching {string.Join(", ", learners.Select(l => l.Name))} configurations for {settings.Budget.TotalSeconds:0} s");
        var runner = new ImageTrialRunner(prepared, metric, time, settings.Seed);
        var entries = learners.Select(l => new ImageSearchEntry(l, prepared.ImageTraits)).ToList();
        // One CNN fit at a time unless asked otherwise: a fit uses the machine's libtorch threads, and two at once
        // made each several times slower on a busy machine (OpenMP's threads wait on each other).
        var scheduler = new TrialScheduler(time, settings.Parallelism ?? 1, SearchBudget.MaxTrials(settings), settings.Seed);
        var running = new RunningTrials();
        await scheduler.RunAsync(entries, prepared.Traits, async (request, ct) =>
        {
            using var trialScope = running.Enter();
            var entry = (ImageSearchEntry)request.Learner;
            var configuration = entry.Complete(request.Hyperparameters);
            TrialResult result;
            try
            {
                var trial = await runner.RunAsync(entry.Learner, request, configuration, ct);
                result = trial.Result;
                if (ct.IsCancellationRequested)
                {
                    // Finished after the deadline: the search has moved on without it.
                    trial.Model?.Dispose();
                    return result with { Status = TrialStatus.Cancelled };
                }

                kept.Offer(trial);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Recorded like any trial: a configuration that cannot fit these images is worth seeing in the tracking UI.
                result = new TrialResult(request.Number, entry.Name, configuration, TrialStatus.Failed, double.NaN, [],
                    new Dictionary<string, double>(), 0, 0, Error: e.Message);
            }

            return searchRun is null ? result : result with { RunId = await SearchRecorder.RecordTrialAsync(tracker!, searchRun, experiment, result, CancellationToken.None) };
        }, board, SearchBudget.TrialDeadline(started, settings.Budget), started + settings.Budget, cancellationToken);
        await running.WaitAsync(settings.Budget * 0.03, time);
    }

    private List<IImageLearner> Learners(SearchSettings settings)
    {
        var unknown = (settings.Include ?? []).Concat(settings.Exclude ?? []).Where(n => zoo.All(l => l.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw FerryException.Usage("LEARNER_UNKNOWN", $"unknown learner(s) {string.Join(", ", unknown)} for images; the image zoo has {string.Join(", ", zoo.Select(l => l.Name))}");
        }

        var learners = zoo.Where(l => (settings.Include is null || settings.Include.Contains(l.Name)) && settings.Exclude?.Contains(l.Name) != true).ToList();
        return learners.Count > 0
            ? learners
            : throw FerryException.Usage("LEARNER_NONE", $"no image learner left after include/exclude; the image zoo has {string.Join(", ", zoo.Select(l => l.Name))}");
    }

    private static Dictionary<string, string> SearchParams(SearchSettings settings, PreparedImageSearch prepared, MetricKind metric)
    {
        var shape = prepared.ImageTraits.Shape;
        return new(StringComparer.Ordinal)
        {
            ["data"] = settings.DataPath,
            ["data.hash"] = prepared.Analysis.ContentHash,
            ["data.kind"] = prepared.Pixels is null ? "image folder" : "pixel table",
            ["label"] = prepared.Analysis.Schema.Label,
            ["task"] = prepared.Task.ToString().ToLowerInvariant(),
            ["metric"] = MetricCatalog.NameOf(metric),
            ["budget_seconds"] = settings.Budget.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["deterministic"] = settings.Deterministic ? "true" : "false",
            ["images.search"] = prepared.Search.Count.ToString(CultureInfo.InvariantCulture),
            ["images.test"] = prepared.Test.Count.ToString(CultureInfo.InvariantCulture),
            ["images.shape"] = $"{shape.Width}x{shape.Height}x{shape.Channels}",
            ["classes"] = prepared.Classes.Count.ToString(CultureInfo.InvariantCulture),
            ["folds"] = prepared.Folds.Count.ToString(CultureInfo.InvariantCulture),
        };
    }
}
