using Ferry.Tracking.Model;

namespace Ferry.Hosting.Wire;

/// <summary>Converts between the tracking domain and MLflow's wire shapes, in both directions.</summary>
internal static class WireMapper
{
    /// <summary>The input tag MLflow uses for a dataset's role in a run; Ferry folds it into <see cref="DatasetInput.Context"/>.</summary>
    public const string DatasetContextTag = "mlflow.data.context";

    public static readonly IReadOnlyDictionary<string, ViewType> ViewTypes = new Dictionary<string, ViewType>(StringComparer.Ordinal)
    {
        ["ACTIVE_ONLY"] = ViewType.ActiveOnly,
        ["DELETED_ONLY"] = ViewType.DeletedOnly,
        ["ALL"] = ViewType.All,
    };

    public static readonly IReadOnlyDictionary<string, RunStatus> Statuses = new Dictionary<string, RunStatus>(StringComparer.Ordinal)
    {
        ["RUNNING"] = RunStatus.Running,
        ["SCHEDULED"] = RunStatus.Scheduled,
        ["FINISHED"] = RunStatus.Finished,
        ["FAILED"] = RunStatus.Failed,
        ["KILLED"] = RunStatus.Killed,
    };

    public static WireExperiment ToWire(Experiment e) => new(
        e.ExperimentId, e.Name, e.ArtifactLocation, Stage(e.LifecycleStage), e.LastUpdateTime, e.CreationTime,
        NullIfEmpty(e.Tags.Select(t => new WireKeyValue(t.Key, t.Value)).ToList()));

    public static WireRunInfo ToWire(RunInfo i) => new(
        i.RunId, i.ExperimentId, i.RunName, i.UserId, Status(i.Status), i.StartTime, i.EndTime, i.ArtifactUri, Stage(i.LifecycleStage), i.RunId);

    /// <param name="run">The run.</param>
    /// <param name="withOutputs">MLflow's runs/get carries an (empty) <c>outputs</c>; runs/create and runs/search do not.</param>
    public static WireRun ToWire(Run run, bool withOutputs) => new(
        ToWire(run.Info),
        new WireRunData(
            NullIfEmpty(run.Data.Metrics.Select(ToWire).ToList()),
            NullIfEmpty(run.Data.Params.Select(p => new WireKeyValue(p.Key, p.Value)).ToList()),
            NullIfEmpty(run.Data.Tags.Select(t => new WireKeyValue(t.Key, t.Value)).ToList())),
        new WireRunInputs(NullIfEmpty(run.Inputs.Select(ToWire).ToList())),
        withOutputs ? new WireRunOutputs() : null);

    public static WireMetric ToWire(Metric m) => new(m.Key, m.Value, m.Timestamp, m.Step);

    private static WireDatasetInput ToWire(DatasetInput d) => new(
        d.Context is null ? null : [new WireKeyValue(DatasetContextTag, d.Context)],
        new WireDataset(d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile));

    public static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        _ => "KILLED",
    };

    private static string Stage(LifecycleStage stage) => stage == LifecycleStage.Deleted ? "deleted" : "active";

    public static IReadOnlyList<RunTag> RunTags(WireMessage message, string field) =>
        message.Messages(field).Select(t => new RunTag(t.RequiredString("key"), t.RequiredString("value"))).ToList();

    public static IReadOnlyList<ExperimentTag> ExperimentTags(WireMessage message, string field) =>
        message.Messages(field).Select(t => new ExperimentTag(t.RequiredString("key"), t.RequiredString("value"))).ToList();

    public static Metric Metric(WireMessage m) =>
        new(m.RequiredString("key"), m.RequiredDouble("value"), m.RequiredInt64("timestamp"), m.Int64("step") ?? 0);

    public static DatasetInput DatasetInput(WireMessage input)
    {
        var dataset = input.Message("dataset") ?? throw WireErrors.Invalid("Missing value for required parameter 'dataset' of a dataset input");
        var context = input.Messages("tags").LastOrDefault(t => t.String("key") == DatasetContextTag)?.String("value");
        return new DatasetInput(
            dataset.RequiredString("name"), dataset.RequiredString("digest"), dataset.RequiredString("source_type"), dataset.RequiredString("source"),
            dataset.String("schema"), dataset.String("profile"), context);
    }
}
