namespace Ferry.Serving.Sources;

/// <summary>
/// What a source wants served for one model: the version that takes its traffic, the versions kept loaded beside it
/// (addressable by number), its labels (aliases) and an optional canary and shadow. A source always reports the
/// complete set, and a model or version it leaves out is unloaded (TF Serving's aspired versions).
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Primary">The version that answers requests that name no version.</param>
/// <param name="Pinned">Other versions kept loaded and served when asked for by number.</param>
/// <param name="Labels">Aliases and the versions they point at (a label resolves only when its version is loaded).</param>
/// <param name="Canary">A version that takes a share of the primary's traffic.</param>
/// <param name="Shadow">A version that gets a copy of a share of the traffic, whose answers are only logged.</param>
public sealed record ModelTarget(
    string Model,
    int Primary,
    IReadOnlyList<int> Pinned,
    IReadOnlyDictionary<string, int> Labels,
    Rollout? Canary = null,
    Rollout? Shadow = null)
{
    /// <summary>Every version the target needs loaded: primary first, then canary, shadow and pinned ones.</summary>
    public IReadOnlyList<int> Versions =>
    [
        .. new[] { Primary }.Concat(Canary is null ? [] : [Canary.Version]).Concat(Shadow is null ? [] : [Shadow.Version]).Concat(Pinned).Distinct(),
    ];
}

/// <summary>A version that takes (canary) or copies (shadow) a share of a model's traffic.</summary>
/// <param name="Version">The version.</param>
/// <param name="Share">The share of requests, from 0 to 1.</param>
public sealed record Rollout(int Version, double Share);
