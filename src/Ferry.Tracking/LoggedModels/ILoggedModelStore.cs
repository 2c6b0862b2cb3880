namespace Ferry.Tracking.LoggedModels;

/// <summary>
/// MLflow 3's logged models and run outputs, kept beside the tracking data. Unknown ids are RESOURCE_DOES_NOT_EXIST,
/// bad fields INVALID_PARAMETER_VALUE; every write is one transaction.
/// </summary>
public interface ILoggedModelStore
{
    /// <summary>Creates a logged model with status <see cref="LoggedModelStatus.Pending"/> in an active experiment.</summary>
    Task<LoggedModel> CreateLoggedModelAsync(CreateLoggedModelRequest request, CancellationToken cancellationToken);

    /// <summary>The logged model with this id.</summary>
    Task<LoggedModel> GetLoggedModelAsync(string modelId, CancellationToken cancellationToken);

    /// <summary>Sets a logged model's status (MLflow's finalize: READY or UPLOAD_FAILED once the upload ends).</summary>
    Task<LoggedModel> FinalizeLoggedModelAsync(string modelId, LoggedModelStatus status, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) tags on a logged model.</summary>
    Task SetLoggedModelTagsAsync(string modelId, IReadOnlyList<LoggedModelKeyValue> tags, CancellationToken cancellationToken);

    /// <summary>Removes a tag; RESOURCE_DOES_NOT_EXIST when the model does not have it.</summary>
    Task DeleteLoggedModelTagAsync(string modelId, string key, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) params on a logged model.</summary>
    Task LogLoggedModelParamsAsync(string modelId, IReadOnlyList<LoggedModelKeyValue> parameters, CancellationToken cancellationToken);

    /// <summary>Deletes a logged model with its tags, params and the run outputs naming it (its files are left to the artifact store).</summary>
    Task DeleteLoggedModelAsync(string modelId, CancellationToken cancellationToken);

    /// <summary>
    /// Logged models of the given experiments, newest first. The filter is the subset the MLflow client sends:
    /// empty, or <c>name = 'x'</c> (single or double quotes); anything else is INVALID_PARAMETER_VALUE.
    /// </summary>
    Task<IReadOnlyList<LoggedModel>> SearchLoggedModelsAsync(IReadOnlyList<string> experimentIds, string? filter, int maxResults, CancellationToken cancellationToken);

    /// <summary>Records models a run produced; each model must exist and the run must be active. Recording one again updates its step.</summary>
    Task LogRunOutputsAsync(string runId, IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken);

    /// <summary>The models a run produced, sorted by model id; empty for a run with none.</summary>
    Task<IReadOnlyList<ModelOutput>> GetRunOutputsAsync(string runId, CancellationToken cancellationToken);
}
