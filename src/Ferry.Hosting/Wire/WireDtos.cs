using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Hosting.Wire;

// MLflow's JSON shapes (proto messages rendered by protobuf's JSON printer): snake_case, unset fields and empty
// lists omitted, int64 as numbers, non-finite doubles as "NaN" / "Infinity" / "-Infinity".
#pragma warning disable CA1812 // Created by the mapper and serialized; the analyzer cannot see that.

internal sealed record WireKeyValue(string Key, string Value);

internal sealed record WireExperiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long LastUpdateTime,
    long CreationTime,
    IReadOnlyList<WireKeyValue>? Tags);

internal sealed record WireRunInfo(
    string RunUuid,
    string ExperimentId,
    string RunName,
    string UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage,
    string RunId);

internal sealed record WireMetric(string Key, double Value, long Timestamp, long Step);

internal sealed record WireRunData(IReadOnlyList<WireMetric>? Metrics, IReadOnlyList<WireKeyValue>? Params, IReadOnlyList<WireKeyValue>? Tags);

internal sealed record WireDataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

internal sealed record WireDatasetInput(IReadOnlyList<WireKeyValue>? Tags, WireDataset Dataset);

internal sealed record WireRunInputs(IReadOnlyList<WireDatasetInput>? DatasetInputs);

/// <summary>Run outputs: the logged models a run produced (MLflow 3); empty for a run with none.</summary>
internal sealed record WireRunOutputs(IReadOnlyList<WireModelOutput>? ModelOutputs = null);

internal sealed record WireRun(WireRunInfo Info, WireRunData Data, WireRunInputs Inputs, WireRunOutputs? Outputs);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record ExperimentResponse(WireExperiment Experiment);

internal sealed record SearchExperimentsResponse(IReadOnlyList<WireExperiment>? Experiments, string? NextPageToken);

internal sealed record RunResponse(WireRun Run);

internal sealed record UpdateRunResponse(WireRunInfo RunInfo);

internal sealed record SearchRunsResponse(IReadOnlyList<WireRun>? Runs, string? NextPageToken);

internal sealed record MetricHistoryResponse(IReadOnlyList<WireMetric>? Metrics, string? NextPageToken);

internal sealed record EmptyResponse;

internal sealed record ErrorResponse(string ErrorCode, string Message, string? RequestId = null);

#pragma warning restore CA1812

/// <summary>The serializer settings of every wire message.</summary>
internal static class WireJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
