namespace Ferry.Serving.Metrics;

/// <summary>The label values of one series, compared by value so they can key a dictionary.</summary>
internal readonly struct LabelValues : IEquatable<LabelValues>
{
    private readonly string[] _values;

    public LabelValues(params string[] values) => _values = values;

    public IReadOnlyList<string> Values => _values ?? [];

    public bool Equals(LabelValues other) => Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => obj is LabelValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Orders series by their values, so a scrape lists them in the same order every time.</summary>
    public static int Compare(LabelValues a, LabelValues b)
    {
        for (var i = 0; i < Math.Min(a.Values.Count, b.Values.Count); i++)
        {
            var order = string.CompareOrdinal(a.Values[i], b.Values[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Values.Count.CompareTo(b.Values.Count);
    }
}
