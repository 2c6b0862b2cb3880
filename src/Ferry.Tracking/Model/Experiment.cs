namespace Ferry.Tracking.Model;

/// <summary>A named group of runs (MLflow's <c>Experiment</c>).</summary>
/// <param name="ExperimentId">The id, an integer rendered as a string; "0" is the Default experiment.</param>
/// <param name="Name">The unique name (unique across active and deleted experiments).</param>
/// <param name="ArtifactLocation">Where the experiment's runs keep their artifacts.</param>
/// <param name="LifecycleStage">Active or soft-deleted.</param>
/// <param name="CreationTime">When it was created, epoch milliseconds.</param>
/// <param name="LastUpdateTime">When it was last renamed, deleted or restored, epoch milliseconds.</param>
/// <param name="Tags">Its tags, by key.</param>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyList<ExperimentTag> Tags);

/// <summary>A key-value tag on an experiment.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value.</param>
public sealed record ExperimentTag(string Key, string Value);
