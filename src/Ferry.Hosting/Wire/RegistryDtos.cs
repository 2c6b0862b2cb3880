namespace Ferry.Hosting.Wire;

// The model registry's wire shapes (MLflow's model_registry.proto as its JSON printer renders it): versions are
// strings, stages are names ("None", "Staging"…), unset fields and empty lists are omitted.
#pragma warning disable CA1812 // Created by the registry mapper and serialized; the analyzer cannot see that.

internal sealed record WireModelAlias(string Alias, string Version);

internal sealed record WireModelVersion(
    string Name,
    string Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string CurrentStage,
    string Description,
    string Source,
    string? RunId,
    string Status,
    string? StatusMessage,
    IReadOnlyList<WireKeyValue>? Tags,
    string RunLink,
    IReadOnlyList<string>? Aliases);

internal sealed record WireRegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<WireModelVersion>? LatestVersions,
    IReadOnlyList<WireKeyValue>? Tags,
    IReadOnlyList<WireModelAlias>? Aliases);

internal sealed record RegisteredModelResponse(WireRegisteredModel RegisteredModel);

internal sealed record SearchRegisteredModelsResponse(IReadOnlyList<WireRegisteredModel>? RegisteredModels, string? NextPageToken);

internal sealed record ModelVersionResponse(WireModelVersion ModelVersion);

internal sealed record ModelVersionsResponse(IReadOnlyList<WireModelVersion>? ModelVersions);

internal sealed record SearchModelVersionsResponse(IReadOnlyList<WireModelVersion>? ModelVersions, string? NextPageToken);

internal sealed record DownloadUriResponse(string ArtifactUri);

#pragma warning restore CA1812
