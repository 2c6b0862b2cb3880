using System.Text.Json.Serialization;

namespace Ferry.Tracking.Client.Remote;

// MLflow's JSON shapes as the client sends and reads them: snake_case, unset fields omitted, int64 as numbers,
// non-finite doubles as the strings "NaN" / "Infinity" / "-Infinity" (protobuf's JSON form, which the server reads
// and writes). Responses may omit any field (MLflow omits defaults and empty lists), so every response field is
// nullable and the mapper fills in defaults.
#pragma warning disable CA1812 // Created by the serializer; the analyzer cannot see that.

internal sealed record RestKeyValue(string Key, string? Value);

internal sealed record RestExperiment(
    string? ExperimentId,
    string? Name,
    string? ArtifactLocation,
    string? LifecycleStage,
    long? LastUpdateTime,
    long? CreationTime,
    IReadOnlyList<RestKeyValue>? Tags);

internal sealed record RestRunInfo(
    string? RunId,
    string? RunUuid,
    string? ExperimentId,
    string? RunName,
    string? UserId,
    string? Status,
    long? StartTime,
    long? EndTime,
    string? ArtifactUri,
    string? LifecycleStage);

internal sealed record RestMetric(string Key, double Value, long Timestamp, long Step);

internal sealed record RestRunData(IReadOnlyList<RestMetric>? Metrics, IReadOnlyList<RestKeyValue>? Params, IReadOnlyList<RestKeyValue>? Tags);

internal sealed record RestDataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

internal sealed record RestDatasetInput(IReadOnlyList<RestKeyValue>? Tags, RestDataset? Dataset);

internal sealed record RestRunInputs(IReadOnlyList<RestDatasetInput>? DatasetInputs);

internal sealed record RestRun(RestRunInfo? Info, RestRunData? Data, RestRunInputs? Inputs);

internal sealed record RestFileInfo(string? Path, bool IsDir, long? FileSize);

// Requests.

internal sealed record CreateExperimentBody(string Name, string? ArtifactLocation, IReadOnlyList<RestKeyValue>? Tags);

internal sealed record ExperimentIdBody(string ExperimentId);

internal sealed record RenameExperimentBody(string ExperimentId, string NewName);

internal sealed record ExperimentTagBody(string ExperimentId, string Key, string? Value);

internal sealed record SearchExperimentsBody(string ViewType, int MaxResults, string? PageToken, string? Filter = null, IReadOnlyList<string>? OrderBy = null);

internal sealed record CreateRunBody(string ExperimentId, string UserId, string? RunName, long? StartTime, IReadOnlyList<RestKeyValue>? Tags);

internal sealed record RunIdBody(string RunId);

internal sealed record UpdateRunBody(string RunId, string RunUuid, string? Status, long? EndTime, string? RunName);

internal sealed record DeleteRunTagBody(string RunId, string Key);

internal sealed record LogBatchBody(string RunId, IReadOnlyList<RestMetric> Metrics, IReadOnlyList<RestKeyValue> Params, IReadOnlyList<RestKeyValue> Tags);

internal sealed record LogInputsBody(string RunId, IReadOnlyList<RestDatasetInput> Datasets);

internal sealed record SearchRunsBody(
    IReadOnlyList<string> ExperimentIds, string? Filter, string RunViewType, int MaxResults, IReadOnlyList<string>? OrderBy, string? PageToken);

// Responses.

internal sealed record CreateExperimentReply(string? ExperimentId);

internal sealed record ExperimentReply(RestExperiment? Experiment);

internal sealed record SearchExperimentsReply(IReadOnlyList<RestExperiment>? Experiments, string? NextPageToken);

internal sealed record RunReply(RestRun? Run);

internal sealed record UpdateRunReply(RestRunInfo? RunInfo);

internal sealed record SearchRunsReply(IReadOnlyList<RestRun>? Runs, string? NextPageToken);

internal sealed record MetricHistoryReply(IReadOnlyList<RestMetric>? Metrics, string? NextPageToken);

internal sealed record ListArtifactsReply(IReadOnlyList<RestFileInfo>? Files);

internal sealed record ErrorReply(string? ErrorCode, string? Message);

/// <summary>A reply whose content does not matter (MLflow answers <c>{}</c>); only its success is checked.</summary>
internal sealed record EmptyReply;

#pragma warning restore CA1812

/// <summary>The serializer settings of every message, generated at build time (no reflection on the logging path).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // Reading int64 from strings too: protobuf's own JSON printer writes them as strings.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CreateExperimentBody))]
[JsonSerializable(typeof(ExperimentIdBody))]
[JsonSerializable(typeof(RenameExperimentBody))]
[JsonSerializable(typeof(ExperimentTagBody))]
[JsonSerializable(typeof(SearchExperimentsBody))]
[JsonSerializable(typeof(CreateRunBody))]
[JsonSerializable(typeof(RunIdBody))]
[JsonSerializable(typeof(UpdateRunBody))]
[JsonSerializable(typeof(DeleteRunTagBody))]
[JsonSerializable(typeof(LogBatchBody))]
[JsonSerializable(typeof(LogInputsBody))]
[JsonSerializable(typeof(SearchRunsBody))]
[JsonSerializable(typeof(CreateExperimentReply))]
[JsonSerializable(typeof(ExperimentReply))]
[JsonSerializable(typeof(SearchExperimentsReply))]
[JsonSerializable(typeof(RunReply))]
[JsonSerializable(typeof(UpdateRunReply))]
[JsonSerializable(typeof(SearchRunsReply))]
[JsonSerializable(typeof(MetricHistoryReply))]
[JsonSerializable(typeof(ListArtifactsReply))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(EmptyReply))]
internal sealed partial class RestJson : JsonSerializerContext;
