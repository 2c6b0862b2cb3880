namespace Ferry.Serving.Metrics;

/// <summary>
/// Observations counted into fixed buckets, with their sum. Lock-free: each bucket is its own counter and the
/// sum is added with compare-and-swap, so the request path never waits for a scrape.
/// </summary>
internal sealed class Histogram
{
    private readonly double[] _bounds;

    // One slot per bound plus the last for values above every bound (+Inf). Not cumulative: the scrape sums them.
    private readonly long[] _counts;
    private long _sumBits;

    /// <summary>A histogram over <paramref name="bounds"/>: finite upper bounds in increasing order.</summary>
    public Histogram(double[] bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException($"histogram bounds must be finite and strictly increasing; bound {i} is {bounds[i]}", nameof(bounds));
            }
        }

        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>The upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Counts <paramref name="value"/> into the first bucket whose bound it does not exceed; NaN is ignored.</summary>
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var index = Array.BinarySearch(_bounds, value);
        Interlocked.Increment(ref _counts[index >= 0 ? index : ~index]);
        var seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            var found = Interlocked.CompareExchange(ref _sumBits, next, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }

    /// <summary>The buckets as a scrape writes them: cumulative counts per bound, the last one +Inf and equal to the count.</summary>
    public HistogramSnapshot Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Interlocked.Read(ref _counts[i]);
            cumulative[i] = total;
        }

        // The count is taken from the buckets, not kept apart, so +Inf and _count always agree within one scrape.
        return new HistogramSnapshot(cumulative, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)), total);
    }
}

/// <summary>One reading of a histogram.</summary>
/// <param name="Cumulative">Per bound, then +Inf: how many observations were at most that bound.</param>
/// <param name="Sum">The sum of the observations.</param>
/// <param name="Count">How many observations there were.</param>
internal sealed record HistogramSnapshot(long[] Cumulative, double Sum, long Count);
