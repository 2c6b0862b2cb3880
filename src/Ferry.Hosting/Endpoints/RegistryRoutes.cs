namespace Ferry.Hosting.Endpoints;

/// <summary>The route table of MLflow's model registry REST API (<c>registered-models/*</c> and <c>model-versions/*</c>).</summary>
internal static class RegistryRoutes
{
    public static IReadOnlyList<TrackingRoute> All { get; } =
    [
        new("POST", "registered-models/create", RegistryHandlers.CreateModelAsync),
        new("GET", "registered-models/get", RegistryHandlers.GetModelAsync),
        new("POST", "registered-models/rename", RegistryHandlers.RenameModelAsync),
        new("PATCH", "registered-models/update", RegistryHandlers.UpdateModelAsync),
        new("DELETE", "registered-models/delete", RegistryHandlers.DeleteModelAsync),
        new("GET", "registered-models/search", RegistryHandlers.SearchModelsAsync),
        new("POST", "registered-models/set-tag", RegistryHandlers.SetModelTagAsync),
        new("DELETE", "registered-models/delete-tag", RegistryHandlers.DeleteModelTagAsync),
        new("POST", "registered-models/alias", RegistryHandlers.SetAliasAsync),
        new("DELETE", "registered-models/alias", RegistryHandlers.DeleteAliasAsync),
        new("GET", "registered-models/alias", RegistryHandlers.GetVersionByAliasAsync),
        new("POST", "registered-models/get-latest-versions", RegistryHandlers.GetLatestVersionsAsync),
        new("GET", "registered-models/get-latest-versions", RegistryHandlers.GetLatestVersionsAsync),
        new("POST", "model-versions/create", RegistryHandlers.CreateVersionAsync),
        new("GET", "model-versions/get", RegistryHandlers.GetVersionAsync),
        new("PATCH", "model-versions/update", RegistryHandlers.UpdateVersionAsync),
        new("DELETE", "model-versions/delete", RegistryHandlers.DeleteVersionAsync),
        new("POST", "model-versions/transition-stage", RegistryHandlers.TransitionStageAsync),
        new("GET", "model-versions/search", RegistryHandlers.SearchVersionsAsync),
        new("POST", "model-versions/set-tag", RegistryHandlers.SetVersionTagAsync),
        new("DELETE", "model-versions/delete-tag", RegistryHandlers.DeleteVersionTagAsync),
        new("GET", "model-versions/get-download-uri", RegistryHandlers.GetDownloadUriAsync),
    ];
}
