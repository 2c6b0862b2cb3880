using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>
/// Where experiments and runs are kept, with MLflow's tracking-store semantics. Every write is one
/// transaction; failures are <see cref="FerryException"/>s whose codes are MLflow's error codes
/// (see <see cref="TrackingErrors"/>). Implementations are safe to call from several threads at once.
/// </summary>
public interface ITrackingStore : IAsyncDisposable
{
    /// <summary>Creates an experiment and returns its id. A taken name (even by a deleted experiment) is RESOURCE_ALREADY_EXISTS.</summary>
    /// <param name="name">The unique name (at most 500 characters).</param>
    /// <param name="artifactLocation">Where its artifacts go; null for the store's artifact root plus the id.</param>
    /// <param name="tags">Tags to set, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<ExperimentTag>? tags, CancellationToken cancellationToken);

    /// <summary>The experiment with this id, active or deleted; RESOURCE_DOES_NOT_EXIST if none.</summary>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>The experiment with this name, active or deleted; RESOURCE_DOES_NOT_EXIST if none.</summary>
    Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>One page of experiments, newest first (creation time descending, then id).</summary>
    /// <param name="viewType">Which lifecycle stages to include.</param>
    /// <param name="maxResults">Page size, 1 to 50,000.</param>
    /// <param name="pageToken">The token of the previous page, or null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ResultPage<Experiment>> SearchExperimentsAsync(ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// One page of experiments matching MLflow's experiment filter, in the order asked for (see <see cref="ExperimentSearchRequest"/>).
    /// A malformed filter or order_by is INVALID_PARAMETER_VALUE naming the problem.
    /// </summary>
    /// <remarks>
    /// The default implementation serves only searches without a filter or order, through the overload above, so a
    /// store written before this member still compiles; Ferry's SQL stores translate the whole request to SQL.
    /// </remarks>
    /// <param name="request">What to search for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ResultPage<Experiment>> SearchExperimentsAsync(ExperimentSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrWhiteSpace(request.Filter) || request.OrderBy is { Count: > 0 })
        {
            throw TrackingErrors.Invalid($"this store ({GetType().Name}) cannot filter or order experiments: search without filter and order_by");
        }

        return SearchExperimentsAsync(request.ViewType, request.MaxResults, request.PageToken, cancellationToken);
    }

    /// <summary>Renames an active experiment; a taken name is RESOURCE_ALREADY_EXISTS.</summary>
    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken);

    /// <summary>Soft-deletes an active experiment and its runs. The Default experiment cannot be deleted.</summary>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>Restores a deleted experiment and its runs.</summary>
    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) a tag on an active experiment.</summary>
    Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Removes a tag from an active experiment; RESOURCE_DOES_NOT_EXIST if it has no such tag.</summary>
    Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken);

    /// <summary>Starts a run (status RUNNING) in an active experiment.</summary>
    Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken);

    /// <summary>The run with this id, active or deleted, with its latest metrics, params, tags and inputs.</summary>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Changes an active run's status, end time and/or name (null leaves a field as it is).</summary>
    Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken);

    /// <summary>Soft-deletes a run.</summary>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Restores a soft-deleted run.</summary>
    Task RestoreRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Logs metrics, params and tags to an active run in one transaction: all of it is stored or none.
    /// MLflow's limits apply (<see cref="TrackingLimits"/>); a param already logged with another value is
    /// INVALID_PARAMETER_VALUE, with the same value it is a no-op.
    /// </summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken);

    /// <summary>Removes a tag from an active run; RESOURCE_DOES_NOT_EXIST if it has no such tag.</summary>
    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Every point logged for one metric of a run, by timestamp, then step, then logging order.</summary>
    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Records datasets an active run read; each (name, digest) is stored once per experiment.</summary>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken);

    /// <summary>One page of runs of the given experiments.</summary>
    Task<ResultPage<Run>> SearchRunsAsync(RunSearchRequest request, CancellationToken cancellationToken);
}
