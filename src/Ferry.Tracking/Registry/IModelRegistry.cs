namespace Ferry.Tracking.Registry;

/// <summary>
/// The model registry with MLflow's semantics, kept in the same database as the tracking data. Every write is one
/// transaction; failures are <see cref="FerryException"/>s with MLflow's codes: an unknown model or version is
/// RESOURCE_DOES_NOT_EXIST, a taken name RESOURCE_ALREADY_EXISTS, a bad field (stage, alias, filter…) INVALID_PARAMETER_VALUE.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Creates a registered model; a taken name is RESOURCE_ALREADY_EXISTS.</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<RegistryTag>? tags, CancellationToken cancellationToken);

    /// <summary>The registered model with this name, with its tags, aliases and latest versions.</summary>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames a registered model; its versions, tags and aliases follow. A taken name is RESOURCE_ALREADY_EXISTS.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken);

    /// <summary>Replaces a registered model's description (null clears it).</summary>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken);

    /// <summary>Deletes a registered model with all its versions, tags and aliases.</summary>
    Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) a tag on a registered model.</summary>
    Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken);

    /// <summary>Removes a tag from a registered model; a tag it does not have is no error (as in MLflow).</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>
    /// One page of registered models. The filter is MLflow's subset: <c>name</c> or <c>tags.key</c> (also <c>tag.</c>,
    /// backtick- or double-quoted keys) compared with <c>=</c>, <c>!=</c>, <c>LIKE</c> or <c>ILIKE</c>, joined by AND;
    /// a model without the tag counts as not equal. Order by <c>name</c> or <c>last_updated_timestamp</c> (ASC/DESC); default name ASC.
    /// </summary>
    /// <param name="filter">The filter, or null/empty for all.</param>
    /// <param name="maxResults">Page size, 1 to <see cref="TrackingLimits.MaxRegisteredModelSearchResults"/>.</param>
    /// <param name="orderBy">Order clauses, or null.</param>
    /// <param name="pageToken">The previous page's token, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ResultPage<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the next version (1, 2, … per model, safe under concurrent callers) with status READY and stage None.
    /// A version made from an MLflow 3 logged model (<c>model_id</c>, a <c>models:/&lt;model_id&gt;</c> source, or a
    /// <c>runs:/&lt;run_id&gt;/&lt;name&gt;</c> source whose run logged a model of that name) records the model, takes its source
    /// run when none is given, and adds itself to the model's <c>mlflow.modelVersions</c> tag, as MLflow's server does. A
    /// <c>models:/</c> source naming no logged model is RESOURCE_DOES_NOT_EXIST; a <c>model_id</c> naming none is kept as given.
    /// </summary>
    Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken);

    /// <summary>One model version.</summary>
    Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Replaces a model version's description (null clears it).</summary>
    Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken);

    /// <summary>Deletes a model version with its tags and the aliases pointing at it; its number is not reused.</summary>
    Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a version to <paramref name="stage"/>. With <paramref name="archiveExistingVersions"/> (allowed only for Staging
    /// and Production) the model's other versions in that stage move to Archived in the same transaction.
    /// </summary>
    Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelStage stage, bool archiveExistingVersions, CancellationToken cancellationToken);

    /// <summary>The highest-numbered version in each of <paramref name="stages"/> (all stages when null or empty), in stage order.</summary>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage>? stages, CancellationToken cancellationToken);

    /// <summary>
    /// One page of model versions. Filter keys: <c>name</c>, <c>source_path</c> (=, !=, LIKE, ILIKE), <c>run_id</c> (=, !=, IN),
    /// <c>version_number</c> (=, !=, &lt;, &lt;=, &gt;, &gt;=), <c>tags.key</c> (=, !=, LIKE, ILIKE), joined by AND. Order by
    /// <c>name</c>, <c>version_number</c>, <c>creation_timestamp</c> or <c>last_updated_timestamp</c>; default
    /// last_updated_timestamp DESC, name ASC, version_number DESC.
    /// </summary>
    Task<ResultPage<ModelVersion>> SearchModelVersionsAsync(string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) a tag on a model version.</summary>
    Task SetModelVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken);

    /// <summary>Removes a tag from a model version; a tag it does not have is no error (as in MLflow).</summary>
    Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Points <paramref name="aliasName"/> at a version, moving it if it points elsewhere. Aliases use letters, digits, '_' and '-'
    /// (at most 255); <c>latest</c> and version-like names such as <c>v1</c> are reserved.
    /// </summary>
    Task SetRegisteredModelAliasAsync(string name, string aliasName, int version, CancellationToken cancellationToken);

    /// <summary>Removes an alias; an alias the model does not have is no error (as in MLflow).</summary>
    Task DeleteRegisteredModelAliasAsync(string name, string aliasName, CancellationToken cancellationToken);

    /// <summary>The version an alias points at; an unknown alias is INVALID_PARAMETER_VALUE, as MLflow reports it.</summary>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken);

    /// <summary>
    /// Where a version's files are, for MLflow's get-download-uri: its source, except that a <c>models:/&lt;model_id&gt;</c>
    /// source (or a <c>runs:/</c> source tied to a logged model) is the logged model's artifact location and a
    /// <c>models:/&lt;name&gt;/&lt;version&gt;</c> source is that version's location.
    /// </summary>
    Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>A version with its source run (info, params, latest metrics, tags, dataset inputs), git commit and dataset versions, in one call.</summary>
    Task<ModelLineage> GetLineageAsync(string name, int version, CancellationToken cancellationToken);
}
