namespace Ferry.Serving.Logging;

/// <summary>
/// Whether a request is in the logged sample. The decision is a hash of the request id rather than a fresh random
/// draw, so every record of one request (its live answer and each shadow's) is kept or skipped together, with no
/// state shared between them; request ids are random, so the ids kept are a uniform share of the traffic.
/// </summary>
internal static class RequestSampling
{
    public static bool IsSampled(string requestId, double rate)
    {
        if (rate >= 1)
        {
            return true;
        }

        if (rate <= 0)
        {
            return false;
        }

        // 53 bits of the hash as a fraction in [0, 1).
        return (Hash(requestId) >> 11) * (1.0 / (1UL << 53)) < rate;
    }

    /// <summary>FNV-1a over the id's characters, then MurmurHash3's finaliser so ids differing in one character spread over the whole range.</summary>
    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text ?? "")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
