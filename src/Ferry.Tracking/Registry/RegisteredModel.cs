namespace Ferry.Tracking.Registry;

/// <summary>A named model whose versions are registered over time (MLflow's <c>RegisteredModel</c>).</summary>
/// <param name="Name">The unique name.</param>
/// <param name="CreationTimestamp">When it was created, epoch milliseconds.</param>
/// <param name="LastUpdatedTimestamp">When it, or the set of its versions and their stages, last changed, epoch milliseconds.</param>
/// <param name="Description">Its description; empty when none was given.</param>
/// <param name="Tags">Its tags, by key.</param>
/// <param name="Aliases">Its aliases, by alias.</param>
/// <param name="LatestVersions">The highest-numbered version in each stage that has one, in stage order (None, Staging, Production, Archived).</param>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    IReadOnlyList<RegistryTag> Tags,
    IReadOnlyList<ModelAlias> Aliases,
    IReadOnlyList<ModelVersion> LatestVersions);

/// <summary>A key-value tag on a registered model or a model version; setting it again overwrites it.</summary>
/// <param name="Key">The tag key (at most 250 characters).</param>
/// <param name="Value">The tag value.</param>
public sealed record RegistryTag(string Key, string Value);

/// <summary>A name such as <c>champion</c> that points at one version of a registered model.</summary>
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version it points at.</param>
public sealed record ModelAlias(string Alias, int Version);
