namespace Ferry.Tracking.LoggedModels;

/// <summary>Where a logged model's upload stands, as MLflow 3 names it.</summary>
public enum LoggedModelStatus
{
    /// <summary>Created; its files are being uploaded.</summary>
    Pending,

    /// <summary>Every file is uploaded; the model can be loaded.</summary>
    Ready,

    /// <summary>The upload failed.</summary>
    UploadFailed,
}

/// <summary>A key and value on a logged model (tags and params share the shape).</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
public sealed record LoggedModelKeyValue(string Key, string Value);

/// <summary>A model logged by MLflow 3's <c>log_model</c>: its files live at <see cref="ArtifactUri"/>.</summary>
/// <param name="ModelId">The id, <c>m-</c> and 32 hex digits.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="Name">The name given at logging (for example <c>model</c>).</param>
/// <param name="ArtifactUri">Where its files go: the experiment's location, then <c>models/{model_id}/artifacts</c>.</param>
/// <param name="Status">Where its upload stands.</param>
/// <param name="ModelType">The model type the client gave, or empty.</param>
/// <param name="SourceRunId">The run that logged it, if any.</param>
/// <param name="CreationTimestamp">Creation time, epoch milliseconds.</param>
/// <param name="LastUpdatedTimestamp">Last change, epoch milliseconds.</param>
/// <param name="Tags">Its tags, sorted by key.</param>
/// <param name="Params">Its params, sorted by key.</param>
public sealed record LoggedModel(
    string ModelId,
    string ExperimentId,
    string Name,
    string ArtifactUri,
    LoggedModelStatus Status,
    string ModelType,
    string? SourceRunId,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    IReadOnlyList<LoggedModelKeyValue> Tags,
    IReadOnlyList<LoggedModelKeyValue> Params);

/// <summary>What creating a logged model takes.</summary>
/// <param name="ExperimentId">The experiment (must be active).</param>
/// <param name="Name">The model's name; null or empty for a generated one.</param>
/// <param name="ModelType">The model type, or null.</param>
/// <param name="SourceRunId">The run that logs it, or null; must exist when given.</param>
/// <param name="Tags">Tags to set, or null.</param>
/// <param name="Params">Params to set, or null.</param>
public sealed record CreateLoggedModelRequest(
    string ExperimentId,
    string? Name = null,
    string? ModelType = null,
    string? SourceRunId = null,
    IReadOnlyList<LoggedModelKeyValue>? Tags = null,
    IReadOnlyList<LoggedModelKeyValue>? Params = null);

/// <summary>A model a run produced (MLflow 3's run outputs).</summary>
/// <param name="ModelId">The logged model's id.</param>
/// <param name="Step">The step at which the run produced it.</param>
public sealed record ModelOutput(string ModelId, long Step);
