namespace Ferry.Tracking;

/// <summary>Settings of a tracking store that are not part of its connection.</summary>
public sealed record TrackingStoreOptions
{
    /// <summary>The default options.</summary>
    public static TrackingStoreOptions Default { get; } = new();

    /// <summary>
    /// Where experiments created without an artifact location keep artifacts: experiment N gets
    /// <c>{ArtifactRoot}/N</c>. It also sets the Default experiment's location when a store is created.
    /// </summary>
    public string ArtifactRoot { get; init; } = "./.ferry/artifacts";

    internal string ExperimentLocation(string experimentId) => ArtifactRoot.TrimEnd('/') + "/" + experimentId;
}
