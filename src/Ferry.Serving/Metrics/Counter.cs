namespace Ferry.Serving.Metrics;

/// <summary>A count that only goes up; safe to increment from any thread without a lock.</summary>
internal sealed class Counter
{
    private long _value;

    /// <summary>The count so far.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Adds <paramref name="by"/> (at least 0: a counter never goes down).</summary>
    public void Add(long by = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by);
        Interlocked.Add(ref _value, by);
    }
}
