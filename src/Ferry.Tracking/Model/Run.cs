namespace Ferry.Tracking.Model;

/// <summary>One execution of training code: what it was, what it logged and which datasets it read (MLflow's <c>Run</c>).</summary>
/// <param name="Info">Its identity and state.</param>
/// <param name="Data">Its latest metrics, params and tags.</param>
/// <param name="Inputs">The datasets it read, each once.</param>
public sealed record Run(RunInfo Info, RunData Data, IReadOnlyList<DatasetInput> Inputs);

/// <summary>A run's identity and state (MLflow's <c>RunInfo</c>).</summary>
/// <param name="RunId">32 lowercase hex characters.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="RunName">Its display name (mirrored in the <c>mlflow.runName</c> tag).</param>
/// <param name="UserId">Who started it.</param>
/// <param name="Status">Where it is in its life.</param>
/// <param name="StartTime">When it started, epoch milliseconds.</param>
/// <param name="EndTime">When it ended, epoch milliseconds, if it has.</param>
/// <param name="ArtifactUri">Where its artifacts go: the experiment's location, then <c>{run_id}/artifacts</c>.</param>
/// <param name="LifecycleStage">Active or soft-deleted.</param>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage);

/// <summary>What a run logged (MLflow's <c>RunData</c>).</summary>
/// <param name="Metrics">The latest value of each metric key: highest step, then latest timestamp, then largest value.</param>
/// <param name="Params">Its params, by key.</param>
/// <param name="Tags">Its tags, by key.</param>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags);

/// <summary>One metric point. The value may be NaN or infinite: MLflow accepts those and Ferry stores them faithfully.</summary>
/// <param name="Key">The metric name (at most 250 characters).</param>
/// <param name="Value">The value.</param>
/// <param name="Timestamp">When it was measured, epoch milliseconds.</param>
/// <param name="Step">The training step it belongs to (0 when not given).</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step = 0);

/// <summary>A run parameter. Once logged, a run's param cannot change value.</summary>
/// <param name="Key">The param name (at most 250 characters).</param>
/// <param name="Value">The value as text (at most 6000 characters).</param>
public sealed record Param(string Key, string Value);

/// <summary>A key-value tag on a run; setting it again overwrites it.</summary>
/// <param name="Key">The tag key (at most 250 characters).</param>
/// <param name="Value">The tag value (at most 8000 characters).</param>
public sealed record RunTag(string Key, string Value);

/// <summary>
/// A dataset a run read (MLflow's <c>DatasetInput</c>, with its <c>mlflow.data.context</c> input tag folded in).
/// The same (name, digest) is stored once per experiment, however many runs read it.
/// </summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Digest">A short content digest that tells versions apart.</param>
/// <param name="SourceType">What kind of source it came from, for example <c>local</c> or <c>ferry</c>.</param>
/// <param name="Source">Where it came from, as JSON or text.</param>
/// <param name="Schema">Its schema as JSON, if known.</param>
/// <param name="Profile">Its profile (row counts and the like) as JSON, if known.</param>
/// <param name="Context">What the run used it for, for example <c>training</c> or <c>eval</c>.</param>
public sealed record DatasetInput(
    string Name,
    string Digest,
    string SourceType,
    string Source,
    string? Schema = null,
    string? Profile = null,
    string? Context = null);
