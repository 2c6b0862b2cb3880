namespace Ferry.Learn.Features;

/// <summary>
/// FNV-1a over UTF-16 code units: a hash that is the same in every process and .NET version
/// (string.GetHashCode is randomised per process, which would scramble saved hashed features).
/// </summary>
internal static class StableHash
{
    /// <summary>The FNV-1a offset basis.</summary>
    public const uint Seed = 2166136261;

    private const uint Prime = 16777619;

    /// <summary>The hash of <paramref name="text"/>.</summary>
    public static uint Of(ReadOnlySpan<char> text) => Append(Seed, text);

    /// <summary>Continues a hash with more characters.</summary>
    public static uint Append(uint hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (c & 0xFFu)) * Prime;
            hash = (hash ^ (uint)(c >> 8)) * Prime;
        }

        return hash;
    }

    /// <summary>Continues a hash with one character.</summary>
    public static uint Append(uint hash, char c)
    {
        hash = (hash ^ (c & 0xFFu)) * Prime;
        return (hash ^ (uint)(c >> 8)) * Prime;
    }

    /// <summary>A bucket in [0, buckets).</summary>
    public static int Bucket(uint hash, int buckets) => (int)(hash % (uint)buckets);
}
