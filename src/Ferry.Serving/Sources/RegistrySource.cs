using Ferry.Tracking;
using Ferry.Tracking.Registry;

namespace Ferry.Serving.Sources;

/// <summary>
/// Serves what the model registry says: each registered model at its <c>champion</c> alias, or its latest version
/// where it has none, with the canary and shadow its <see cref="DeploymentTags"/> name. Moving the alias back is a
/// rollback; the manager picks it up at its next poll. Packages are fetched through a <see cref="RegistryPackageCache"/>.
/// </summary>
/// <param name="store">The tracking store holding the registry.</param>
/// <param name="cache">Where packages are downloaded to.</param>
/// <param name="models">Only these models (null or empty: every registered model).</param>
/// <param name="keepLatest">How many of each model's highest versions to keep loaded besides the champion (addressable by number).</param>
/// <param name="follow">The alias whose version takes the traffic (default <c>champion</c>); a model without it serves its latest version.</param>
public sealed class RegistrySource(ITrackingStore store, RegistryPackageCache cache, IReadOnlyCollection<string>? models = null, int keepLatest = 1, string follow = DeploymentTags.Champion) : ModelSource
{
    private readonly IModelRegistry _registry = (IModelRegistry)store;

    /// <summary>Why tags were ignored at the last read, by model (invalid canary or shadow tags).</summary>
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override string Description => "the model registry";

    /// <inheritdoc />
    public override async Task<IReadOnlyList<ModelTarget>> ReadTargetsAsync(CancellationToken cancellationToken)
    {
        var targets = new List<ModelTarget>();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await _registry.SearchRegisteredModelsAsync(null, 1000, null, token, cancellationToken);
            foreach (var model in page.Items)
            {
                if (models is { Count: > 0 } && !models.Contains(model.Name))
                {
                    continue;
                }

                if (Target(model, problems) is { } target)
                {
                    targets.Add(keepLatest > 1 ? target with { Pinned = await LatestAsync(model.Name, cancellationToken) } : target);
                }
            }

            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));

        Problems = problems;
        return targets;
    }

    /// <inheritdoc />
    public override async Task<string> LocateAsync(ServableId id, CancellationToken cancellationToken)
    {
        var version = await _registry.GetModelVersionAsync(id.Model, id.Version, cancellationToken);
        return await cache.FindAsync(version, cancellationToken) ?? await cache.DownloadAsync(version, cancellationToken);
    }

    private async Task<IReadOnlyList<int>> LatestAsync(string model, CancellationToken cancellationToken)
    {
        var name = model.Replace("'", "''", StringComparison.Ordinal);
        var page = await _registry.SearchModelVersionsAsync($"name = '{name}'", keepLatest, ["version_number DESC"], null, cancellationToken);
        return [.. page.Items.Select(v => v.Version)];
    }

    private ModelTarget? Target(RegisteredModel model, Dictionary<string, string> problems)
    {
        var labels = model.Aliases.ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal);
        int primary;
        if (labels.TryGetValue(follow, out var champion))
        {
            primary = champion;
        }
        else if (model.LatestVersions.Count > 0)
        {
            primary = model.LatestVersions.Max(v => v.Version);
        }
        else
        {
            return null;
        }

        var canary = DeploymentTags.ReadCanary(model.Tags, out var canaryProblem);
        var shadow = DeploymentTags.ReadShadow(model.Tags, out var shadowProblem);
        if ((canaryProblem ?? shadowProblem) is { } problem)
        {
            problems[model.Name] = problem;
        }

        return new ModelTarget(model.Name, primary, [], labels, canary?.Version == primary ? null : canary, shadow?.Version == primary ? null : shadow);
    }
}
