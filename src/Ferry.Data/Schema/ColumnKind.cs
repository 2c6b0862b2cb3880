namespace Ferry.Data.Schema;

/// <summary>What a column means, inferred from its values.</summary>
public enum ColumnKind
{
    /// <summary>Numbers with an order and a scale.</summary>
    Numeric,

    /// <summary>A small set of labels.</summary>
    Categorical,

    /// <summary>Two values such as true/false, yes/no or 0/1.</summary>
    Boolean,

    /// <summary>Dates or timestamps.</summary>
    DateTime,

    /// <summary>Free text: many distinct, longer values with words.</summary>
    Text,

    /// <summary>A distinct value per row (keys, ids): no signal to learn from.</summary>
    IdLike,

    /// <summary>An image (in image-folder datasets).</summary>
    Image,
}

/// <summary>The learning task a label implies.</summary>
public enum TaskKind
{
    /// <summary>Two classes.</summary>
    Binary,

    /// <summary>Three or more classes.</summary>
    Multiclass,

    /// <summary>A continuous target.</summary>
    Regression,
}
