namespace Ferry.Data.Splits;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014). Ours rather than <see cref="Random"/> because a split must be
/// the same for a seed forever: <see cref="Random"/>'s sequence is not promised across .NET versions.
/// </summary>
internal sealed class SplitRandom
{
    private ulong _state;

    public SplitRandom(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var b = (ulong)bound;

        // Reject the top sliver of the 2^64 range that does not divide evenly by bound.
        var limit = ulong.MaxValue - (((ulong.MaxValue % b) + 1) % b);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r > limit);

        return (int)(r % b);
    }

    /// <summary>Fisher–Yates (Durstenfeld) shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
