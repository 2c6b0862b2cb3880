using Ferry.Tracking.Model;

namespace Ferry.Tracking.Client.Remote;

/// <summary>Converts between the tracking domain and MLflow's wire shapes, as a client sees them.</summary>
internal static class RestWireMapper
{
    /// <summary>The input tag MLflow uses for a dataset's role in a run; Ferry folds it into <see cref="DatasetInput.Context"/>.</summary>
    public const string DatasetContextTag = "mlflow.data.context";

    public static string ViewType(ViewType viewType) => viewType switch
    {
        Model.ViewType.DeletedOnly => "DELETED_ONLY",
        Model.ViewType.All => "ALL",
        _ => "ACTIVE_ONLY",
    };

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        _ => "KILLED",
    };

    public static IReadOnlyList<RestKeyValue> ToWire(IEnumerable<RunTag> tags) => tags.Select(t => new RestKeyValue(t.Key, t.Value)).ToList();

    public static IReadOnlyList<RestKeyValue> ToWire(IEnumerable<Param> parameters) => parameters.Select(p => new RestKeyValue(p.Key, p.Value)).ToList();

    public static IReadOnlyList<RestMetric> ToWire(IEnumerable<Metric> metrics) => metrics.Select(m => new RestMetric(m.Key, m.Value, m.Timestamp, m.Step)).ToList();

    public static RestDatasetInput ToWire(DatasetInput d) => new(
        d.Context is null ? null : [new RestKeyValue(DatasetContextTag, d.Context)],
        new RestDataset(d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile));

    public static Experiment ToDomain(RestExperiment? e)
    {
        var experiment = e ?? throw Missing("experiment");
        return new Experiment(
            experiment.ExperimentId ?? throw Missing("experiment.experiment_id"),
            experiment.Name ?? "",
            experiment.ArtifactLocation ?? "",
            Stage(experiment.LifecycleStage),
            experiment.CreationTime ?? 0,
            experiment.LastUpdateTime ?? 0,
            (experiment.Tags ?? []).Select(t => new ExperimentTag(t.Key, t.Value ?? "")).ToList());
    }

    public static RunInfo ToDomain(RestRunInfo? i)
    {
        var info = i ?? throw Missing("run.info");
        return new RunInfo(
            info.RunId ?? info.RunUuid ?? throw Missing("run.info.run_id"),
            info.ExperimentId ?? "",
            info.RunName ?? "",
            info.UserId ?? "",
            ParseStatus(info.Status),
            info.StartTime ?? 0,
            info.EndTime,
            info.ArtifactUri ?? "",
            Stage(info.LifecycleStage));
    }

    public static Run ToDomain(RestRun? r)
    {
        var run = r ?? throw Missing("run");
        var data = run.Data;
        return new Run(
            ToDomain(run.Info),
            new RunData(
                (data?.Metrics ?? []).Select(ToDomain).ToList(),
                (data?.Params ?? []).Select(p => new Param(p.Key, p.Value ?? "")).ToList(),
                (data?.Tags ?? []).Select(t => new RunTag(t.Key, t.Value ?? "")).ToList()),
            (run.Inputs?.DatasetInputs ?? []).Where(d => d.Dataset is not null).Select(ToDomain).ToList());
    }

    public static Metric ToDomain(RestMetric m) => new(m.Key, m.Value, m.Timestamp, m.Step);

    private static DatasetInput ToDomain(RestDatasetInput input)
    {
        var d = input.Dataset!;
        var context = input.Tags?.LastOrDefault(t => t.Key == DatasetContextTag)?.Value;
        return new DatasetInput(d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile, context);
    }

    private static LifecycleStage Stage(string? stage) =>
        string.Equals(stage, "deleted", StringComparison.OrdinalIgnoreCase) ? LifecycleStage.Deleted : LifecycleStage.Active;

    private static RunStatus ParseStatus(string? status) => status switch
    {
        "RUNNING" or null => RunStatus.Running,
        "SCHEDULED" => RunStatus.Scheduled,
        "FINISHED" => RunStatus.Finished,
        "FAILED" => RunStatus.Failed,
        "KILLED" => RunStatus.Killed,
        _ => throw ServerErrors.BadReply($"the run status '{status}' is not one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED"),
    };

    private static FerryException Missing(string field) => ServerErrors.BadReply($"the reply has no '{field}'");
}
