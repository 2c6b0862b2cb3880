using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client.Remote;

/// <summary>
/// A tracking store that is a running <c>ferry server</c> (or any MLflow tracking server), reached over MLflow's REST
/// API. Errors come back as the <see cref="FerryException"/>s the server's store raised, with the same MLflow codes;
/// a server that cannot be reached is <c>SERVER_UNREACHABLE</c>, naming its URL. Reads and log-batch are retried a few
/// times on transient failures (connection refused, 429, 5xx), waiting on the given clock; client errors never are.
/// Thread-safe.
/// </summary>
public sealed class RestTrackingStore : ITrackingStore
{
    // The page size asked for when reading a metric's history (what MLflow's client asks for).
    private const int HistoryPageSize = 25_000;

    private readonly ServerConnection _server;

    /// <summary>Connects to the server at <paramref name="serverUrl"/> with an HTTP client of its own, disposed with the store.</summary>
    /// <param name="serverUrl">Where <c>ferry server</c> listens, for example <c>http://127.0.0.1:5000</c> (a path prefix is kept).</param>
    /// <param name="time">The clock retries wait on.</param>
    /// <exception cref="FerryException">SERVER_URL_INVALID (usage) when the URL is not an absolute http(s) URL.</exception>
    public RestTrackingStore(Uri serverUrl, TimeProvider time)
        : this(new ServerConnection(ServerConnection.CreateHttpClient(), ownsHttp: true, serverUrl, time, RetryPolicy.Default))
    {
    }

    /// <summary>Connects over a caller's HTTP client (for example one that adds credentials); the caller keeps and disposes it.</summary>
    /// <param name="httpClient">The client to send with; its timeout should allow long artifact uploads.</param>
    /// <param name="serverUrl">Where the server listens.</param>
    /// <param name="time">The clock retries wait on.</param>
    public RestTrackingStore(HttpClient httpClient, Uri serverUrl, TimeProvider time)
        : this(new ServerConnection(httpClient, ownsHttp: false, serverUrl, time, RetryPolicy.Default))
    {
    }

    internal RestTrackingStore(ServerConnection server)
    {
        _server = server;
    }

    /// <summary>The server's URL (ending with '/').</summary>
    public Uri ServerUrl => _server.BaseUri;

    /// <summary>
    /// Opens a run's artifact location as MLflow's client does: <c>mlflow-artifacts:/…</c> through this server's artifact
    /// proxy (as an <see cref="HttpArtifactStore"/> sharing this store's connections), anything else directly with
    /// <see cref="ArtifactStoreFactory.Open"/>. The caller disposes the result; it stays usable only while this store is.
    /// </summary>
    /// <param name="location">A run's artifact URI.</param>
    public IArtifactStore OpenArtifacts(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (!location.StartsWith(ArtifactLocations.ProxyScheme, StringComparison.Ordinal))
        {
            return ArtifactStoreFactory.Open(location);
        }

        var rest = location[ArtifactLocations.ProxyScheme.Length..];
        var server = _server;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path names the proxy's own host; MLflow reaches it with the tracking URL's scheme.
            var end = rest.IndexOf('/', 2);
            var authority = end < 0 ? rest[2..] : rest[2..end];
            rest = end < 0 ? "" : rest[end..];
            server = _server.For(new Uri($"{_server.BaseUri.Scheme}://{authority}/"));
        }

        return new HttpArtifactStore(server, ArtifactPath.Normalize(rest.TrimStart('/'), isFolder: true), ownsServer: false);
    }

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<ExperimentTag>? tags, CancellationToken cancellationToken)
    {
        var body = new CreateExperimentBody(name, artifactLocation, tags?.Select(t => new RestKeyValue(t.Key, t.Value)).ToList());
        var reply = await _server.PostAsync("experiments/create", body, RestJson.Default.CreateExperimentBody, RestJson.Default.CreateExperimentReply,
            RetryMode.Unsent, cancellationToken).ConfigureAwait(false);
        return reply.ExperimentId ?? throw ServerErrors.BadReply("experiments/create answered no experiment_id");
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        RestWireMapper.ToDomain((await _server.GetAsync("experiments/get", [("experiment_id", experimentId)], RestJson.Default.ExperimentReply, cancellationToken)
            .ConfigureAwait(false)).Experiment);

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken) =>
        RestWireMapper.ToDomain((await _server.GetAsync("experiments/get-by-name", [("experiment_name", name)], RestJson.Default.ExperimentReply, cancellationToken)
            .ConfigureAwait(false)).Experiment);

    /// <inheritdoc />
    public Task<ResultPage<Experiment>> SearchExperimentsAsync(ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken) =>
        SearchExperimentsAsync(new ExperimentSearchRequest { ViewType = viewType, MaxResults = maxResults, PageToken = pageToken }, cancellationToken);

    /// <inheritdoc />
    public async Task<ResultPage<Experiment>> SearchExperimentsAsync(ExperimentSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new SearchExperimentsBody(RestWireMapper.ViewType(request.ViewType), request.MaxResults, request.PageToken,
            string.IsNullOrWhiteSpace(request.Filter) ? null : request.Filter, request.OrderBy is { Count: > 0 } order ? order : null);
        var reply = await _server.PostAsync("experiments/search", body,
            RestJson.Default.SearchExperimentsBody, RestJson.Default.SearchExperimentsReply, RetryMode.Idempotent, cancellationToken).ConfigureAwait(false);
        return new ResultPage<Experiment>((reply.Experiments ?? []).Select(RestWireMapper.ToDomain).ToList(), NullIfEmpty(reply.NextPageToken));
    }

    /// <inheritdoc />
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken) =>
        PostAsync("experiments/update", new RenameExperimentBody(experimentId, newName), RestJson.Default.RenameExperimentBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        PostAsync("experiments/delete", new ExperimentIdBody(experimentId), RestJson.Default.ExperimentIdBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        PostAsync("experiments/restore", new ExperimentIdBody(experimentId), RestJson.Default.ExperimentIdBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken) =>
        PostAsync("experiments/set-experiment-tag", new ExperimentTagBody(experimentId, key, value), RestJson.Default.ExperimentTagBody, RetryMode.Idempotent, cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken) =>
        PostAsync("experiments/delete-experiment-tag", new ExperimentTagBody(experimentId, key, null), RestJson.Default.ExperimentTagBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateRunBody(request.ExperimentId, request.UserId, request.RunName, request.StartTime, request.Tags is null ? null : RestWireMapper.ToWire(request.Tags));
        var reply = await _server.PostAsync("runs/create", body, RestJson.Default.CreateRunBody, RestJson.Default.RunReply, RetryMode.Unsent, cancellationToken)
            .ConfigureAwait(false);
        return RestWireMapper.ToDomain(reply.Run);
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        RestWireMapper.ToDomain((await _server.GetAsync("runs/get", [("run_id", runId)], RestJson.Default.RunReply, cancellationToken).ConfigureAwait(false)).Run);

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        var body = new UpdateRunBody(runId, runId, status is { } s ? RestWireMapper.Status(s) : null, endTime, runName);
        var reply = await _server.PostAsync("runs/update", body, RestJson.Default.UpdateRunBody, RestJson.Default.UpdateRunReply, RetryMode.Idempotent, cancellationToken)
            .ConfigureAwait(false);
        return RestWireMapper.ToDomain(reply.RunInfo);
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) =>
        PostAsync("runs/delete", new RunIdBody(runId), RestJson.Default.RunIdBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken) =>
        PostAsync("runs/restore", new RunIdBody(runId), RestJson.Default.RunIdBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        var body = new LogBatchBody(runId, RestWireMapper.ToWire(metrics), RestWireMapper.ToWire(parameters), RestWireMapper.ToWire(tags));
        return PostAsync("runs/log-batch", body, RestJson.Default.LogBatchBody, RetryMode.Rejected, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken) =>
        PostAsync("runs/delete-tag", new DeleteRunTagBody(runId, key), RestJson.Default.DeleteRunTagBody, RetryMode.Unsent, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var history = new List<Metric>();
        string? token = null;
        do
        {
            var page = await _server.GetAsync(
                "metrics/get-history",
                [("run_id", runId), ("metric_key", key), ("max_results", ServerConnection.Number(HistoryPageSize)), ("page_token", token)],
                RestJson.Default.MetricHistoryReply, cancellationToken).ConfigureAwait(false);
            history.AddRange((page.Metrics ?? []).Select(RestWireMapper.ToDomain));
            token = NullIfEmpty(page.NextPageToken);
        }
        while (token is not null);

        return history;
    }

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        // Idempotent: each (run, dataset) is linked once however often it is sent.
        return PostAsync("runs/log-inputs", new LogInputsBody(runId, datasets.Select(RestWireMapper.ToWire).ToList()), RestJson.Default.LogInputsBody,
            RetryMode.Idempotent, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ResultPage<Run>> SearchRunsAsync(RunSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new SearchRunsBody(
            request.ExperimentIds, request.Filter, RestWireMapper.ViewType(request.ViewType), request.MaxResults, request.OrderBy, request.PageToken);
        var reply = await _server.PostAsync("runs/search", body, RestJson.Default.SearchRunsBody, RestJson.Default.SearchRunsReply, RetryMode.Idempotent, cancellationToken)
            .ConfigureAwait(false);
        return new ResultPage<Run>((reply.Runs ?? []).Select(RestWireMapper.ToDomain).ToList(), NullIfEmpty(reply.NextPageToken));
    }

    /// <summary>Closes the HTTP client if this store created it; artifact stores opened from it stop working.</summary>
    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<EmptyReply> PostAsync<TBody>(string path, TBody body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TBody> bodyType, RetryMode mode, CancellationToken cancellationToken) =>
        _server.PostAsync(path, body, bodyType, RestJson.Default.EmptyReply, mode, cancellationToken);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
