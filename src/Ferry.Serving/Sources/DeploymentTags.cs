using System.Globalization;
using Ferry.Tracking.Registry;

namespace Ferry.Serving.Sources;

/// <summary>
/// How a rollout is recorded in the registry, as tags on the registered model, so every server reading the registry
/// (one <c>ferry server</c> or many <c>ferry serve</c> replicas) routes the same way: <c>ferry deploy</c> writes them
/// and <see cref="RegistrySource"/> reads them.
/// </summary>
public static class DeploymentTags
{
    /// <summary>The alias whose version takes a model's traffic.</summary>
    public const string Champion = "champion";

    /// <summary>The alias a newly trained or imported version gets, and what <c>ferry deploy --promote</c> promotes when there is no canary.</summary>
    public const string Challenger = "challenger";

    /// <summary>The canary version.</summary>
    public const string Canary = "ferry.deploy.canary";

    /// <summary>The canary's share of traffic, in percent.</summary>
    public const string CanaryWeight = "ferry.deploy.canary_weight";

    /// <summary>The shadow version.</summary>
    public const string Shadow = "ferry.deploy.shadow";

    /// <summary>The share of traffic copied to the shadow, in percent.</summary>
    public const string ShadowShare = "ferry.deploy.shadow_share";

    /// <summary>The champion before the last promotion, which <c>ferry deploy --rollback</c> restores.</summary>
    public const string Previous = "ferry.deploy.previous";

    /// <summary>The canary of a model's tags, or null when none (or the tags are not valid, which <paramref name="problem"/> then says).</summary>
    public static Rollout? ReadCanary(IReadOnlyList<RegistryTag> tags, out string? problem) => Read(tags, Canary, CanaryWeight, 10, out problem);

    /// <summary>The shadow of a model's tags, or null when none (or the tags are not valid, which <paramref name="problem"/> then says).</summary>
    public static Rollout? ReadShadow(IReadOnlyList<RegistryTag> tags, out string? problem) => Read(tags, Shadow, ShadowShare, 100, out problem);

    private static Rollout? Read(IReadOnlyList<RegistryTag> tags, string versionKey, string shareKey, double defaultPercent, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(tags);
        problem = null;
        var version = tags.FirstOrDefault(t => t.Key == versionKey)?.Value;
        if (version is null)
        {
            return null;
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            problem = $"tag {versionKey} is '{version}', not a version number";
            return null;
        }

        var share = tags.FirstOrDefault(t => t.Key == shareKey)?.Value;
        var percent = defaultPercent;
        if (share is not null && (!double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || percent is < 0 or > 100))
        {
            problem = $"tag {shareKey} is '{share}', not a percentage from 0 to 100";
            return null;
        }

        return new Rollout(number, percent / 100);
    }
}
