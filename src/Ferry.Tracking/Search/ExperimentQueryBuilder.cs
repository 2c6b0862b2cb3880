using System.Globalization;

namespace Ferry.Tracking.Search;

/// <summary>
/// An experiment search as SQL over <c>experiments e</c>: a WHERE condition and an ORDER BY list, with the values in
/// named parameters <c>@q0</c>, <c>@q1</c>, … (user text never enters the SQL).
/// </summary>
/// <param name="WhereSql">A boolean condition; <c>1 = 1</c> for no filter.</param>
/// <param name="Parameters">The parameters the fragments name, in order.</param>
/// <param name="OrderBySql">An ORDER BY list without the keywords, ending with a tie-breaker on the experiment id.</param>
internal sealed record ExperimentQuery(string WhereSql, IReadOnlyList<(string Name, object? Value)> Parameters, string OrderBySql);

/// <summary>
/// Translates a parsed experiment filter and order into SQL, with MLflow's semantics (its SQL store): a tag comparison
/// holds only for an experiment that has the tag, so <c>tags.k != 'v'</c> skips experiments without <c>k</c>; LIKE is
/// case-sensitive and ILIKE is not; without order_by, newest first then by id; any other order ends with the id descending
/// unless it names the id itself.
/// </summary>
internal static class ExperimentQueryBuilder
{
    public static ExperimentQuery Build(IReadOnlyList<ExperimentComparison> filter, IReadOnlyList<ExperimentOrder> orderBy, SearchDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orderBy);
        var parameters = new List<(string, object?)>();
        string Add(object value)
        {
            var name = "@q" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add((name, value));
            return name;
        }

        var conditions = filter.Select(c => Condition(c, dialect, Add)).ToList();
        return new ExperimentQuery(conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions), parameters, Order(orderBy, dialect));
    }

    private static string Condition(ExperimentComparison comparison, SearchDialect dialect, Func<object, string> add)
    {
        if (comparison.TagKey is { } tagKey)
        {
            var text = Text("t.value", comparison.Comparator, ((StringValue)comparison.Value).Value, dialect, add);
            return $"EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = {add(tagKey)} AND {text})";
        }

        if (comparison.Attribute == "name")
        {
            return Text("e.name", comparison.Comparator, ((StringValue)comparison.Value).Value, dialect, add);
        }

        var number = (NumberValue)comparison.Value;
        object bound = number.IntegerValue is { } whole ? whole : number.Value;
        return $"{Column(comparison.Attribute)} {Operator(comparison.Comparator)} {add(bound)}";
    }

    /// <summary>A text comparison: SQLite's LIKE ignores ASCII case, so a case-sensitive LIKE is a GLOB there (as in run search).</summary>
    private static string Text(string column, SearchComparator comparator, string value, SearchDialect dialect, Func<object, string> add) => comparator switch
    {
        SearchComparator.Equal => $"{column} = {add(value)}",
        SearchComparator.NotEqual => $"{column} <> {add(value)}",
        SearchComparator.Like when dialect == SearchDialect.Sqlite => $"{column} GLOB {add(LikePattern.ToGlob(value))}",
        SearchComparator.Like => $"{column} LIKE {add(value)}",
        SearchComparator.ILike when dialect == SearchDialect.Sqlite => $"LOWER({column}) LIKE LOWER({add(value)}) ESCAPE '\\'",
        SearchComparator.ILike => $"{column} ILIKE {add(value)}",
        _ => throw new ArgumentException($"Comparator {comparator} does not apply to text.", nameof(comparator)),
    };

    private static string Operator(SearchComparator comparator) => comparator switch
    {
        SearchComparator.Equal => "=",
        SearchComparator.NotEqual => "<>",
        SearchComparator.Greater => ">",
        SearchComparator.GreaterOrEqual => ">=",
        SearchComparator.Less => "<",
        SearchComparator.LessOrEqual => "<=",
        _ => throw new ArgumentException($"Comparator {comparator} is not numeric.", nameof(comparator)),
    };

    /// <summary>The column of an attribute; names come from the parser's fixed lists, never from user text.</summary>
    private static string Column(string attribute) => attribute switch
    {
        "name" => "e.name",
        "experiment_id" => "e.experiment_id",
        "creation_time" => "e.creation_time",
        "last_update_time" => "e.last_update_time",
        _ => throw new ArgumentException($"Unknown experiment attribute '{attribute}'.", nameof(attribute)),
    };

    private static string Order(IReadOnlyList<ExperimentOrder> clauses, SearchDialect dialect)
    {
        if (clauses.Count == 0)
        {
            return "e.creation_time DESC, e.experiment_id ASC";
        }

        // Names sort by code point in both databases (SQLite's BINARY collation already does).
        var collate = dialect == SearchDialect.PostgreSql ? " COLLATE \"C\"" : "";
        var items = clauses.Select(c => $"{Column(c.Attribute)}{(c.Attribute == "name" ? collate : "")} {(c.Ascending ? "ASC" : "DESC")}").ToList();
        if (!clauses.Any(c => c.Attribute == "experiment_id"))
        {
            items.Add("e.experiment_id DESC");
        }

        return string.Join(", ", items);
    }
}
