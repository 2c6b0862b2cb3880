using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>What to start a run with (MLflow's <c>CreateRun</c>).</summary>
/// <param name="ExperimentId">The active experiment to start it in.</param>
/// <param name="UserId">Who starts it.</param>
/// <param name="RunName">Its name; null takes the <c>mlflow.runName</c> tag if given, else a generated name.</param>
/// <param name="StartTime">Epoch milliseconds; null for now.</param>
/// <param name="Tags">Tags to set at creation.</param>
public sealed record CreateRunRequest(
    string ExperimentId,
    string UserId = "",
    string? RunName = null,
    long? StartTime = null,
    IReadOnlyList<RunTag>? Tags = null);
