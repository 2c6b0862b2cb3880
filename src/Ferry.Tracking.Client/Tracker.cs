using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Client.Remote;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client;

/// <summary>
/// Starts runs and hands out <see cref="TrackedRun"/>s that log in the background. It works in-process against any
/// <see cref="ITrackingStore"/> (SQLite or PostgreSQL), or remotely against a running <c>ferry server</c> (or MLflow
/// tracking server) with <see cref="ForServer"/>.
/// </summary>
/// <example>
/// Remotely, against <c>ferry server</c>; the tracker owns its connection, so dispose it (after its runs):
/// <code>
/// await using var tracker = Tracker.ForServer(new Uri("http://127.0.0.1:5000"), TimeProvider.System);
/// await using var run = await tracker.StartRunAsync("churn");
/// run.LogParam("learner", "lightgbm");
/// run.LogMetric("loss", 0.31, step: 1);
/// await run.LogArtifactAsync("model.zip");
/// </code>
/// In-process, over a store the caller opens and disposes:
/// <code>
/// await using var store = await StoreFactory.OpenAsync("sqlite:///home/me/.ferry/ferry.db", TimeProvider.System, CancellationToken.None);
/// var tracker = new Tracker(store, TimeProvider.System);
/// await using var run = await tracker.StartRunAsync("churn");
/// run.LogMetric("loss", 0.31, step: 1);
/// </code>
/// </example>
public sealed class Tracker : IAsyncDisposable
{
    private readonly ITrackingStore _store;
    private readonly TimeProvider _time;
    private readonly TrackerOptions _options;
    private readonly Func<string, IArtifactStore> _openArtifacts;
    private readonly IAsyncDisposable? _owned;

    /// <summary>Creates a tracker over a store; the caller keeps and disposes the store.</summary>
    /// <param name="store">Where runs are recorded.</param>
    /// <param name="time">The clock for run times, metric timestamps and the flush interval.</param>
    /// <param name="options">Naming and buffering; defaults when null.</param>
    /// <param name="openArtifacts">Opens a run's artifact location; default <see cref="ArtifactStoreFactory.Open"/>.</param>
    public Tracker(ITrackingStore store, TimeProvider time, TrackerOptions? options = null, Func<string, IArtifactStore>? openArtifacts = null)
        : this(store, time, options, openArtifacts, owned: null)
    {
    }

    private Tracker(ITrackingStore store, TimeProvider time, TrackerOptions? options, Func<string, IArtifactStore>? openArtifacts, IAsyncDisposable? owned)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _options = options ?? new TrackerOptions();
        _openArtifacts = openArtifacts ?? (uri => ArtifactStoreFactory.Open(uri));
        _owned = owned;
    }

    /// <summary>
    /// A tracker that logs to the tracking server at <paramref name="serverUrl"/> over MLflow's REST API (a
    /// <see cref="RestTrackingStore"/>). Runs the server creates get <c>mlflow-artifacts:</c> locations, whose files go
    /// through the server's artifact proxy (an <see cref="HttpArtifactStore"/>). Nothing is sent until the first run
    /// starts; a server that cannot be reached then is a <see cref="FerryException"/> naming the URL. The tracker owns
    /// the connection: dispose it once its runs have ended.
    /// </summary>
    /// <param name="serverUrl">Where <c>ferry server</c> listens, for example <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="time">The clock for run times, metric timestamps, the flush interval and retry waits.</param>
    /// <param name="options">Naming and buffering; defaults when null.</param>
    /// <exception cref="FerryException">SERVER_URL_INVALID (usage) when the URL is not an absolute http(s) URL.</exception>
    public static Tracker ForServer(Uri serverUrl, TimeProvider time, TrackerOptions? options = null)
    {
        var store = new RestTrackingStore(serverUrl, time);
        return new Tracker(store, time, options, store.OpenArtifacts, owned: store);
    }

    /// <summary>Closes what the tracker owns (the server connection of <see cref="ForServer"/>); a store passed in is left open.</summary>
    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;

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
