namespace Ferry.Tracking.Search;

/// <summary>What a search comparison or an order-by clause looks at.</summary>
public enum SearchEntity
{
    /// <summary>The latest value of a metric (<c>metrics.loss</c>).</summary>
    Metric,

    /// <summary>A run parameter (<c>params.lr</c>).</summary>
    Param,

    /// <summary>A run tag (<c>tags.team</c>).</summary>
    Tag,

    /// <summary>A column of the run itself (<c>attributes.status</c>, or a bare <c>start_time</c>).</summary>
    Attribute,

    /// <summary>A dataset the run used as an input (<c>datasets.name</c>, <c>digest</c>, <c>context</c>).</summary>
    Dataset,
}

/// <summary>The comparison operators of MLflow's search language.</summary>
public enum SearchComparator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>LIKE</c>, case-sensitive, <c>%</c> and <c>_</c> wildcards, <c>\</c> escapes.</summary>
    Like,

    /// <summary><c>ILIKE</c>, like <see cref="Like"/> but ignoring case.</summary>
    ILike,

    /// <summary><c>IN ('a', 'b')</c></summary>
    In,

    /// <summary><c>NOT IN ('a', 'b')</c></summary>
    NotIn,

    /// <summary><c>IS NULL</c>: the run has no tag or param with the key (tags and params only, MLflow 3).</summary>
    IsNull,

    /// <summary><c>IS NOT NULL</c>: the run has a tag or param with the key, whatever its value.</summary>
    IsNotNull,
}

/// <summary>The right-hand side of a comparison.</summary>
public abstract record SearchValue;

/// <summary>A quoted string value.</summary>
/// <param name="Value">The text between the quotes, with doubled or backslash-escaped quotes collapsed.</param>
public sealed record StringValue(string Value) : SearchValue;

/// <summary>A numeric literal.</summary>
/// <param name="Value">The number as a double (1e999 reads as infinity, as in Python).</param>
/// <param name="Text">The literal as written, which tells integers from floats.</param>
public sealed record NumberValue(double Value, string Text) : SearchValue
{
    /// <summary>The value as a whole number, when the literal is an integer that fits a 64-bit integer.</summary>
    public long? IntegerValue =>
        long.TryParse(Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}

/// <summary>The absent operand of <c>IS NULL</c> and <c>IS NOT NULL</c>.</summary>
public sealed record NullValue : SearchValue
{
    /// <summary>The only instance.</summary>
    public static NullValue Instance { get; } = new();

    private NullValue()
    {
    }
}

/// <summary>A parenthesised list of quoted strings, the operand of <c>IN</c> and <c>NOT IN</c>.</summary>
/// <param name="Values">The strings, in the order written (may be empty after run id normalisation).</param>
public sealed record StringListValue(IReadOnlyList<string> Values) : SearchValue
{
    /// <inheritdoc />
    public bool Equals(StringListValue? other) => other is not null && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join(", ", Values.Select(v => "'" + v + "'")) + ")";
}

/// <summary>One comparison of a run filter, such as <c>metrics.loss &lt; 0.5</c>.</summary>
/// <param name="Entity">What the comparison looks at.</param>
/// <param name="Key">The metric, param or tag key; for attributes and datasets the canonical field name
/// (aliases such as <c>created</c> are resolved to <c>start_time</c>).</param>
/// <param name="Comparator">The operator.</param>
/// <param name="Value">The right-hand side.</param>
public sealed record RunComparison(SearchEntity Entity, string Key, SearchComparator Comparator, SearchValue Value);

/// <summary>A parsed run filter: comparisons that must all hold (MLflow has no <c>OR</c>).</summary>
/// <param name="Comparisons">The AND-ed comparisons, in the order written; empty matches every run.</param>
public sealed record RunFilter(IReadOnlyList<RunComparison> Comparisons)
{
    /// <summary>The filter that matches every run.</summary>
    public static RunFilter Empty { get; } = new(Array.Empty<RunComparison>());

    /// <inheritdoc />
    public bool Equals(RunFilter? other) => other is not null && Comparisons.SequenceEqual(other.Comparisons);

    /// <inheritdoc />
    public override int GetHashCode() => Comparisons.Count;
}

/// <summary>One order-by clause, such as <c>metrics.loss DESC</c>.</summary>
/// <param name="Entity">What to sort by (never <see cref="SearchEntity.Dataset"/>).</param>
/// <param name="Key">The metric, param or tag key, or the canonical attribute name.</param>
/// <param name="Ascending">True for ASC (the default), false for DESC.</param>
public sealed record OrderClause(SearchEntity Entity, string Key, bool Ascending);

/// <summary>The SQL dialect to translate a search into.</summary>
public enum SearchDialect
{
    /// <summary>SQLite 3.</summary>
    Sqlite,

    /// <summary>PostgreSQL 12 or newer.</summary>
    PostgreSql,
}
