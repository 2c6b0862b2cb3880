using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client;

/// <summary>
/// Starts runs and hands out <see cref="TrackedRun"/>s that log in the background. It works against any
/// <see cref="ITrackingStore"/>: in-process over SQLite or PostgreSQL today.
/// </summary>
/// <example>
/// <code>
/// var tracker = new Tracker(store, TimeProvider.System);
/// await using var run = await tracker.StartRunAsync("churn");
/// run.LogParam("learner", "lightgbm");
/// run.LogMetric("loss", 0.31, step: 1);
/// await run.LogArtifactAsync("model.zip");
/// </code>
/// </example>
public sealed class Tracker
{
    private readonly ITrackingStore _store;
    private readonly TimeProvider _time;
    private readonly TrackerOptions _options;
    private readonly Func<string, IArtifactStore> _openArtifacts;

    /// <summary>Creates a tracker over a store.</summary>
    /// <param name="store">Where runs are recorded.</param>
    /// <param name="time">The clock for run times, metric timestamps and the flush interval.</param>
    /// <param name="options">Naming and buffering; defaults when null.</param>
    /// <param name="openArtifacts">Opens a run's artifact location; default <see cref="ArtifactStoreFactory.Open"/>.</param>
    public Tracker(ITrackingStore store, TimeProvider time, TrackerOptions? options = null, Func<string, IArtifactStore>? openArtifacts = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _options = options ?? new TrackerOptions();
        _openArtifacts = openArtifacts ?? (uri => ArtifactStoreFactory.Open(uri));
    }

    /// <summary>
    /// Starts a run in the named experiment, creating the experiment if it does not exist. A
    /// <paramref name="parent"/> makes it a nested run (as search trials are), tagged <c>mlflow.parentRunId</c>.
    /// </summary>
    public async Task<TrackedRun> StartRunAsync(string experimentName, string? runName = null, TrackedRun? parent = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        var experimentId = await GetOrCreateExperimentAsync(experimentName, cancellationToken);
        var user = _options.UserId ?? Environment.UserName;
        var tags = new List<RunTag>
        {
            new("mlflow.user", user),
            new("mlflow.source.name", _options.SourceName ?? System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "ferry"),
            new("mlflow.source.type", "LOCAL"),
        };
        if (_options.GitCommit is { } commit)
        {
            tags.Add(new RunTag("mlflow.source.git.commit", commit));
        }

        if (parent is not null)
        {
            tags.Add(new RunTag("mlflow.parentRunId", parent.RunId));
        }

        var run = await _store.CreateRunAsync(
            new CreateRunRequest(experimentId, user, runName, _time.GetUtcNow().ToUnixTimeMilliseconds(), tags), cancellationToken);
        return new TrackedRun(_store, run.Info, _time, _options.FlushInterval, _openArtifacts);
    }

    private async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await _store.GetExperimentByNameAsync(name, cancellationToken)).ExperimentId;
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            try
            {
                return await _store.CreateExperimentAsync(name, null, null, cancellationToken);
            }
            catch (FerryException again) when (again.Code == TrackingErrors.ResourceAlreadyExists)
            {
                // Another process created it between our look-up and create.
                return (await _store.GetExperimentByNameAsync(name, cancellationToken)).ExperimentId;
            }
        }
    }
}
