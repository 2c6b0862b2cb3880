namespace Ferry.Tracking.Search;

/// <summary>
/// The names MLflow's run search accepts: entity prefixes, run attributes (and their aliases) and dataset fields.
/// Mirrors <c>SearchUtils</c> in <c>mlflow/utils/search_utils.py</c> and the searchable properties of <c>RunInfo</c>.
/// </summary>
internal static class RunSearchKeys
{
    private static readonly Dictionary<string, SearchEntity> Prefixes = new(StringComparer.Ordinal)
    {
        ["metric"] = SearchEntity.Metric,
        ["metrics"] = SearchEntity.Metric,
        ["parameter"] = SearchEntity.Param,
        ["parameters"] = SearchEntity.Param,
        ["param"] = SearchEntity.Param,
        ["params"] = SearchEntity.Param,
        ["tag"] = SearchEntity.Tag,
        ["tags"] = SearchEntity.Tag,
        ["attribute"] = SearchEntity.Attribute,
        ["attributes"] = SearchEntity.Attribute,
        ["attr"] = SearchEntity.Attribute,
        ["run"] = SearchEntity.Attribute,
        ["dataset"] = SearchEntity.Dataset,
        ["datasets"] = SearchEntity.Dataset,
    };

    /// <summary>
    /// Run columns compared as text. Not <c>lifecycle_stage</c>: MLflow refuses it (its tests assert so) because
    /// run_view_type selects active or deleted runs.
    /// </summary>
    public static readonly IReadOnlySet<string> StringAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "run_id", "run_name", "status", "user_id", "artifact_uri" };

    /// <summary>Run columns compared as numbers (epoch milliseconds).</summary>
    public static readonly IReadOnlySet<string> NumericAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "start_time", "end_time" };

    /// <summary>The dataset fields a filter can name.</summary>
    public static readonly IReadOnlySet<string> DatasetKeys = new HashSet<string>(StringComparer.Ordinal) { "name", "digest", "context" };

    private static readonly Dictionary<string, string> FilterAliases = new(StringComparer.Ordinal)
    {
        ["created"] = "start_time",
        ["Created"] = "start_time",
        ["run name"] = "run_name",
        ["Run name"] = "run_name",
        ["Run Name"] = "run_name",
    };

    // MLflow accepts the "run name" spellings in filters only, not in order_by.
    private static readonly Dictionary<string, string> OrderAliases = new(StringComparer.Ordinal)
    {
        ["created"] = "start_time",
        ["Created"] = "start_time",
    };

    private const string EntityList = "metric(s), param(s)/parameter(s), tag(s), attribute(s)/attr/run, dataset(s)";

    /// <summary>
    /// Resolves an identifier's parts into an entity and key, following MLflow: no dot means an attribute,
    /// otherwise the first part is the entity and the rest (dots included) is the key.
    /// </summary>
    public static (SearchEntity Entity, string Key) Resolve(SearchToken identifier, bool forOrderBy)
    {
        var parts = identifier.Parts!;
        SearchEntity entity;
        string key;
        if (parts.Count == 1)
        {
            entity = SearchEntity.Attribute;
            key = parts[0].Text;
        }
        else
        {
            var prefix = parts[0];
            if (prefix.Quote == '"' || !Prefixes.TryGetValue(prefix.Text, out entity))
            {
                throw SearchErrors.Invalid(
                    $"Invalid entity type '{prefix.Text}' at position {identifier.Position}. Valid values are {EntityList}.");
            }

            key = KeyOf(identifier, parts);
        }

        if (key.Length == 0)
        {
            throw SearchErrors.Invalid($"Empty key in '{identifier.Text}' at position {identifier.Position}.");
        }

        if (entity == SearchEntity.Attribute)
        {
            key = ResolveAttribute(key, identifier, forOrderBy);
        }
        else if (entity == SearchEntity.Dataset && !DatasetKeys.Contains(key))
        {
            throw SearchErrors.Invalid(
                $"Invalid dataset key '{key}' specified at position {identifier.Position}. Valid keys are 'context', 'digest', 'name'.");
        }

        return (entity, key);
    }

    private static string KeyOf(SearchToken identifier, IReadOnlyList<IdentifierPart> parts)
    {
        if (parts.Count == 2)
        {
            return parts[1].Text;
        }

        // A dotted key is written bare (metrics.val.loss); mixing quoted and bare parts is ambiguous.
        if (parts.Skip(1).Any(p => p.IsQuoted))
        {
            throw SearchErrors.Invalid(
                $"Invalid identifier '{identifier.Text}' at position {identifier.Position}: quote the whole key, " +
                "for example tags.\"a.b-c\".");
        }

        return string.Join('.', parts.Skip(1).Select(p => p.Text));
    }

    private static string ResolveAttribute(string key, SearchToken identifier, bool forOrderBy)
    {
        var aliases = forOrderBy ? OrderAliases : FilterAliases;
        if (aliases.TryGetValue(key, out var canonical))
        {
            return canonical;
        }

        if (StringAttributes.Contains(key) || NumericAttributes.Contains(key))
        {
            return key;
        }

        var valid = StringAttributes.Concat(NumericAttributes).Concat(aliases.Keys).Order(StringComparer.Ordinal);
        throw SearchErrors.Invalid(
            $"Invalid attribute key '{key}' specified at position {identifier.Position}. Valid keys are " +
            string.Join(", ", valid.Select(v => $"'{v}'")) + ".");
    }

    /// <summary>How MLflow names an entity in its messages.</summary>
    public static string Noun(SearchEntity entity) => entity switch
    {
        SearchEntity.Metric => "metric",
        SearchEntity.Param => "param",
        SearchEntity.Tag => "tag",
        SearchEntity.Attribute => "attribute",
        _ => "dataset",
    };
}
