namespace Ferry.Hosting.Endpoints;

/// <summary>The route table of MLflow's tracking REST API: every endpoint Ferry serves under <c>/api/2.0/mlflow/</c>.</summary>
internal static class TrackingRoutes
{
    /// <summary>The prefixes the table is mapped under; MLflow 1.x clients also used the <c>preview</c> alias.</summary>
    public static readonly IReadOnlyList<string> Prefixes = ["/api/2.0/mlflow/", "/api/2.0/preview/mlflow/"];

    public static IReadOnlyList<TrackingRoute> All { get; } = [.. ExperimentHandlers.Routes(), .. RunHandlers.Routes(), .. RegistryRoutes.All, .. LegacyHandlers.Routes()];
}
