namespace Ferry.Tracking.Registry;

/// <summary>One registered version of a model (MLflow's <c>ModelVersion</c>, plus Ferry's dataset versions and signature).</summary>
/// <param name="Name">The registered model it belongs to.</param>
/// <param name="Version">Its number: 1 for the first version of a model, never reused after a delete.</param>
/// <param name="CreationTimestamp">When it was registered, epoch milliseconds.</param>
/// <param name="LastUpdatedTimestamp">When its description or stage last changed, epoch milliseconds.</param>
/// <param name="Description">Its description; empty when none was given.</param>
/// <param name="UserId">Who registered it; empty when unknown.</param>
/// <param name="CurrentStage">Its MLflow stage.</param>
/// <param name="Source">Where its files are, for example <c>runs:/{run_id}/model</c> or <c>models:/{model_id}</c>.</param>
/// <param name="RunId">The run that produced it, if known.</param>
/// <param name="RunLink">A link to that run; empty when none was given.</param>
/// <param name="Status">Whether registration finished.</param>
/// <param name="StatusMessage">Why registration is pending or failed, if it is.</param>
/// <param name="Tags">Its tags, by key.</param>
/// <param name="Aliases">The aliases pointing at it, in order.</param>
/// <param name="ModelId">The MLflow 3 logged model it was registered from, if any.</param>
/// <param name="DatasetVersions">The Ferry dataset versions it was trained on, such as <c>iris@2</c>.</param>
/// <param name="Signature">Its input/output signature as JSON, if known.</param>
public sealed record ModelVersion(
    string Name,
    int Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    string UserId,
    ModelStage CurrentStage,
    string Source,
    string? RunId,
    string RunLink,
    ModelVersionStatus Status,
    string? StatusMessage,
    IReadOnlyList<RegistryTag> Tags,
    IReadOnlyList<string> Aliases,
    string? ModelId,
    IReadOnlyList<string> DatasetVersions,
    string? Signature);

/// <summary>What to register as a new model version.</summary>
/// <param name="Name">The registered model; it must exist.</param>
/// <param name="Source">Where the version's files are (required).</param>
/// <param name="RunId">The run that produced it, if any.</param>
/// <param name="Description">A description, if any.</param>
/// <param name="Tags">Tags to set, if any.</param>
/// <param name="RunLink">A link to the run, if any.</param>
/// <param name="UserId">Who registers it, if known.</param>
/// <param name="ModelId">The MLflow 3 logged model it comes from, if any.</param>
/// <param name="DatasetVersions">The Ferry dataset versions it was trained on, if known.</param>
/// <param name="Signature">Its signature as JSON, if known.</param>
public sealed record CreateModelVersionRequest(
    string Name,
    string Source,
    string? RunId = null,
    string? Description = null,
    IReadOnlyList<RegistryTag>? Tags = null,
    string? RunLink = null,
    string? UserId = null,
    string? ModelId = null,
    IReadOnlyList<string>? DatasetVersions = null,
    string? Signature = null);

/// <summary>A model version traced back to what made it: its run, that run's data and inputs, the code commit and dataset versions.</summary>
/// <param name="Version">The model version.</param>
/// <param name="Run">Its source run with params, latest metrics, tags and dataset inputs; null when it has no run or the run is gone.</param>
/// <param name="GitCommit">The run's <c>mlflow.source.git.commit</c> tag, if any.</param>
/// <param name="DatasetVersions">The dataset versions recorded on the model version.</param>
public sealed record ModelLineage(ModelVersion Version, Model.Run? Run, string? GitCommit, IReadOnlyList<string> DatasetVersions);
