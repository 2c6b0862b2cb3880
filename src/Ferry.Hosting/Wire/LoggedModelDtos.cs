using Ferry.Tracking.LoggedModels;

namespace Ferry.Hosting.Wire;

// MLflow 3's LoggedModel and artifact-proxy messages, in the same conventions as WireDtos.cs.
#pragma warning disable CA1812 // Created by the mapper and serialized; the analyzer cannot see that.

internal sealed record WireLoggedModelInfo(
    string ModelId,
    string ExperimentId,
    string Name,
    long CreationTimestampMs,
    long LastUpdatedTimestampMs,
    string ArtifactUri,
    string Status,
    string ModelType,
    string? SourceRunId,
    IReadOnlyList<WireKeyValue>? Tags);

internal sealed record WireLoggedModelData(IReadOnlyList<WireKeyValue>? Params);

internal sealed record WireLoggedModel(WireLoggedModelInfo Info, WireLoggedModelData Data);

internal sealed record LoggedModelResponse(WireLoggedModel Model);

internal sealed record SearchLoggedModelsResponse(IReadOnlyList<WireLoggedModel>? Models);

internal sealed record WireModelOutput(string ModelId, long Step);

internal sealed record WireFileInfo(string Path, bool IsDir, long? FileSize);

internal sealed record ListArtifactsResponse(IReadOnlyList<WireFileInfo>? Files);

internal sealed record OwnedArtifactsResponse(string RootUri, IReadOnlyList<WireFileInfo>? Files);

#pragma warning restore CA1812

/// <summary>Converts logged models to and from MLflow's wire shapes.</summary>
internal static class LoggedModelWire
{
    public static readonly IReadOnlyDictionary<string, LoggedModelStatus> Statuses = new Dictionary<string, LoggedModelStatus>(StringComparer.Ordinal)
    {
        ["LOGGED_MODEL_PENDING"] = LoggedModelStatus.Pending,
        ["LOGGED_MODEL_READY"] = LoggedModelStatus.Ready,
        ["LOGGED_MODEL_UPLOAD_FAILED"] = LoggedModelStatus.UploadFailed,
    };

    public static WireLoggedModel ToWire(LoggedModel m) => new(
        new WireLoggedModelInfo(
            m.ModelId, m.ExperimentId, m.Name, m.CreationTimestamp, m.LastUpdatedTimestamp, m.ArtifactUri, Status(m.Status), m.ModelType, m.SourceRunId,
            WireMapper.NullIfEmpty(m.Tags.Select(t => new WireKeyValue(t.Key, t.Value)).ToList())),
        new WireLoggedModelData(WireMapper.NullIfEmpty(m.Params.Select(p => new WireKeyValue(p.Key, p.Value)).ToList())));

    public static string Status(LoggedModelStatus status) => Statuses.First(s => s.Value == status).Key;

    public static IReadOnlyList<LoggedModelKeyValue> KeyValues(WireMessage message, string field) =>
        message.Messages(field).Select(t => new LoggedModelKeyValue(t.RequiredString("key"), t.String("value") ?? "")).ToList();

    public static WireRunOutputs Outputs(IReadOnlyList<ModelOutput> outputs) =>
        new(WireMapper.NullIfEmpty(outputs.Select(o => new WireModelOutput(o.ModelId, o.Step)).ToList()));
}
