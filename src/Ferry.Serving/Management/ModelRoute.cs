namespace Ferry.Serving.Management;

/// <summary>
/// Where one model's requests go, as of the last swap: an immutable snapshot, replaced whole, so a request sees
/// either the old routing or the new one and never a mix.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Primary">The version answering requests that name none.</param>
/// <param name="Versions">Every loaded version of the model, by number.</param>
/// <param name="Labels">Aliases whose versions are loaded.</param>
/// <param name="Canary">The canary version, if any.</param>
/// <param name="CanaryShare">Its share of unnamed-version traffic (0 to 1).</param>
/// <param name="Shadow">The shadow version, if any.</param>
/// <param name="ShadowShare">The share of traffic copied to it (0 to 1).</param>
public sealed record ModelRoute(
    string Model,
    Servable Primary,
    IReadOnlyDictionary<int, Servable> Versions,
    IReadOnlyDictionary<string, int> Labels,
    Servable? Canary = null,
    double CanaryShare = 0,
    Servable? Shadow = null,
    double ShadowShare = 0)
{
    private long _canaryTicks;
    private long _shadowTicks;

    /// <summary>
    /// Whether this request goes to the canary. With a routing key the choice is sticky (a hash of the key); without
    /// one, requests are dealt out so that every run of them holds the share as closely as whole requests allow.
    /// </summary>
    internal bool TakeCanary(string? routingKey) => Canary is not null && Deal(ref _canaryTicks, CanaryShare, routingKey);

    /// <summary>Whether this request is copied to the shadow (dealt out as <see cref="TakeCanary"/> is, never sticky).</summary>
    internal bool TakeShadow() => Shadow is not null && Deal(ref _shadowTicks, ShadowShare, null);

    private static bool Deal(ref long ticks, double share, string? key)
    {
        if (share <= 0)
        {
            return false;
        }

        if (key is not null)
        {
            return StableFraction(key) < share;
        }

        // Request n goes to the share when floor((n + 1) * share) passes floor(n * share): exact over any run of requests.
        var n = Interlocked.Increment(ref ticks) - 1;
        return Math.Floor((n + 1) * share) > Math.Floor(n * share);
    }

    /// <summary>
    /// FNV-1a of the key's UTF-16 code units, mixed by SplitMix64's finaliser (FNV alone spreads short keys' high bits
    /// poorly) and mapped to [0, 1): the same key lands on the same side on every replica.
    /// </summary>
    private static double StableFraction(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;

        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
