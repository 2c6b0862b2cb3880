namespace Ferry.Learn.Features;

/// <summary>How a <see cref="Featurizer"/> encodes columns. The defaults suit tables of up to a few hundred columns.</summary>
public sealed record FeaturizerOptions
{
    /// <summary>Whether numeric and date features are standardised (for learners with <c>NeedsScaling</c>).</summary>
    public bool Scale { get; init; }

    /// <summary>A categorical column with at most this many distinct training values is one-hot encoded; above, hashed.</summary>
    public int MaxOneHotCategories { get; init; } = 32;

    /// <summary>Hash buckets for a high-cardinality categorical column.</summary>
    public int CategoryBuckets { get; init; } = 32;

    /// <summary>Hash buckets for a text column's words and word pairs.</summary>
    public int TextBuckets { get; init; } = 256;
}
