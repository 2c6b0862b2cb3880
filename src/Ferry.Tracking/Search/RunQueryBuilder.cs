using System.Globalization;

namespace Ferry.Tracking.Search;

/// <summary>
/// Translates a parsed run filter and order-by list into SQL over the tracking store's tables, with the runs table
/// aliased <c>r</c>. User text never enters the SQL: every key and value is a positional parameter <c>@pN</c>, and the
/// only names written inline are column names from a fixed list.
/// </summary>
/// <remarks>
/// Semantics follow MLflow's reference matcher (<c>SearchUtils.filter</c> and <c>SearchUtils.sort</c>):
/// a comparison on a metric, param, tag or dataset field a run does not have never matches; a NaN metric compares
/// like a Python float NaN (only <c>!=</c> holds); LIKE is case-sensitive and ILIKE is not. Sorting puts real values
/// first, then NaN metrics, then runs without the key, whatever the direction; then <c>start_time DESC</c> (unless
/// already sorted by it) and <c>run_id</c> as the final tie-breaker.
/// </remarks>
internal static class RunQueryBuilder
{
    /// <summary>Builds the WHERE and ORDER BY fragments of a run search.</summary>
    /// <param name="filter">The parsed filter (<see cref="RunFilter.Empty"/> for none).</param>
    /// <param name="orderBy">The parsed order-by clauses (empty for MLflow's default order).</param>
    /// <param name="dialect">The database to write SQL for.</param>
    /// <param name="firstParameterIndex">The number of the first parameter, so the caller can number its own
    /// parameters (experiment ids, lifecycle stage, paging) before ours.</param>
    /// <returns>The fragments and their parameter values; parameter i is named <c>@p{firstParameterIndex + i}</c>.</returns>
    public static RunQuery Build(RunFilter filter, IReadOnlyList<OrderClause> orderBy, SearchDialect dialect, int firstParameterIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orderBy);
        ArgumentOutOfRangeException.ThrowIfNegative(firstParameterIndex);
        var parameters = new ParameterList(firstParameterIndex);
        var conditions = filter.Comparisons.Select(c => Condition(c, dialect, parameters)).ToList();
        var where = conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
        var order = OrderBy(orderBy, dialect, parameters);
        return new RunQuery(where, parameters.Values, order);
    }

    private static string Condition(RunComparison comparison, SearchDialect dialect, ParameterList parameters)
    {
        switch (comparison.Entity)
        {
            case SearchEntity.Attribute when RunSearchKeys.NumericAttributes.Contains(comparison.Key):
                var number = (NumberValue)comparison.Value;
                object bound = number.IntegerValue is { } whole ? whole : number.Value;
                return $"r.{Column(comparison.Key)} {Operator(comparison.Comparator)} {parameters.Add(bound)}";
            case SearchEntity.Attribute:
                return Text($"r.{Column(comparison.Key)}", comparison, dialect, parameters);
            case SearchEntity.Metric:
                return Metric(comparison, parameters);
            case SearchEntity.Param or SearchEntity.Tag:
                var table = comparison.Entity == SearchEntity.Param ? "params" : "tags";
                var exists = $"EXISTS (SELECT 1 FROM {table} x WHERE x.run_id = r.run_id AND x.key = {parameters.Add(comparison.Key)}";
                return comparison.Comparator switch
                {
                    SearchComparator.IsNull => $"NOT {exists})",
                    SearchComparator.IsNotNull => $"{exists})",
                    _ => $"{exists} AND {Text("x.value", comparison, dialect, parameters)})",
                };
            default:
                var column = comparison.Key switch
                {
                    "name" => "d.name",
                    "digest" => "d.digest",
                    "context" => "ri.context",
                    _ => throw new ArgumentException($"Unknown dataset key '{comparison.Key}'.", nameof(comparison)),
                };
                return "EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_id = ri.dataset_id " +
                       $"WHERE ri.run_id = r.run_id AND {Text(column, comparison, dialect, parameters)})";
        }
    }

    private static string Metric(RunComparison comparison, ParameterList parameters)
    {
        var key = parameters.Add(comparison.Key);
        var value = parameters.Add(((NumberValue)comparison.Value).Value);

        // NaN is stored as value NULL with is_nan set. Like a Python NaN it differs from every number and is
        // neither smaller, larger nor equal; testing is_nan also keeps PostgreSQL's "NaN is the largest" out.
        var test = comparison.Comparator == SearchComparator.NotEqual
            ? $"(m.is_nan OR m.value <> {value})"
            : $"NOT m.is_nan AND m.value {Operator(comparison.Comparator)} {value}";
        return $"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.run_id AND m.key = {key} AND {test})";
    }

    private static string Text(string column, RunComparison comparison, SearchDialect dialect, ParameterList parameters)
    {
        switch (comparison.Comparator)
        {
            case SearchComparator.Equal:
                return $"{column} = {parameters.Add(Single(comparison))}";
            case SearchComparator.NotEqual:
                return $"{column} <> {parameters.Add(Single(comparison))}";
            case SearchComparator.Like when dialect == SearchDialect.Sqlite:
                // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive and independent of connection pragmas.
                return $"{column} GLOB {parameters.Add(LikePattern.ToGlob(Single(comparison)))}";
            case SearchComparator.Like:
                // PostgreSQL's LIKE is case-sensitive and its default escape character is already the backslash.
                return $"{column} LIKE {parameters.Add(Single(comparison))}";
            case SearchComparator.ILike when dialect == SearchDialect.Sqlite:
                // SQLite folds ASCII letters only (no ICU); LOWER on both sides keeps it case-insensitive even if
                // a connection turned case_sensitive_like on.
                return $"LOWER({column}) LIKE LOWER({parameters.Add(Single(comparison))}) ESCAPE '\\'";
            case SearchComparator.ILike:
                return $"{column} ILIKE {parameters.Add(Single(comparison))}";
            case SearchComparator.In:
            {
                var values = ((StringListValue)comparison.Value).Values;
                return values.Count == 0 ? "1 = 0" : $"{column} IN ({string.Join(", ", values.Select(v => parameters.Add(v)))})";
            }

            case SearchComparator.NotIn:
            {
                // A missing dataset context is no value at all, not a value outside the list.
                var values = ((StringListValue)comparison.Value).Values;
                return values.Count == 0
                    ? $"{column} IS NOT NULL"
                    : $"{column} IS NOT NULL AND {column} NOT IN ({string.Join(", ", values.Select(v => parameters.Add(v)))})";
            }

            default:
                throw new ArgumentException($"Comparator {comparison.Comparator} does not apply to text.", nameof(comparison));
        }
    }

    private static string Single(RunComparison comparison) => ((StringValue)comparison.Value).Value;

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

    /// <summary>The column for an attribute; keys come from a fixed list, so this never echoes user text.</summary>
    private static string Column(string key) =>
        RunSearchKeys.StringAttributes.Contains(key) || RunSearchKeys.NumericAttributes.Contains(key)
            ? key
            : throw new ArgumentException($"Unknown run attribute '{key}'.", nameof(key));

    private static string OrderBy(IReadOnlyList<OrderClause> clauses, SearchDialect dialect, ParameterList parameters)
    {
        // Text sorts by code point in both databases, as MLflow's Python sort does.
        var collate = dialect == SearchDialect.PostgreSql ? " COLLATE \"C\"" : "";
        var items = new List<string>();
        foreach (var clause in clauses)
        {
            var direction = clause.Ascending ? "ASC" : "DESC";
            switch (clause.Entity)
            {
                case SearchEntity.Attribute:
                    var column = "r." + Column(clause.Key);
                    if (clause.Key == "end_time")
                    {
                        items.Add($"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END");
                    }

                    items.Add(RunSearchKeys.StringAttributes.Contains(clause.Key) ? $"{column}{collate} {direction}" : $"{column} {direction}");
                    break;
                case SearchEntity.Metric:
                {
                    var key = parameters.Add(clause.Key);
                    const string From = "FROM latest_metrics m WHERE m.run_id = r.run_id AND m.key = ";
                    items.Add($"COALESCE((SELECT CASE WHEN m.is_nan THEN 1 ELSE 0 END {From}{key}), 2)");
                    items.Add($"(SELECT m.value {From}{key}) {direction}");
                    break;
                }

                case SearchEntity.Param or SearchEntity.Tag:
                {
                    var key = parameters.Add(clause.Key);
                    var from = clause.Entity == SearchEntity.Param
                        ? $"FROM params p WHERE p.run_id = r.run_id AND p.key = {key}"
                        : $"FROM tags p WHERE p.run_id = r.run_id AND p.key = {key}";
                    items.Add($"COALESCE((SELECT 0 {from}), 1)");
                    items.Add($"(SELECT p.value{collate} {from}) {direction}");
                    break;
                }

                default:
                    throw new ArgumentException("Runs cannot be ordered by a dataset field.", nameof(clauses));
            }
        }

        if (!clauses.Any(c => c.Entity == SearchEntity.Attribute && c.Key == "start_time"))
        {
            items.Add("r.start_time DESC");
        }

        items.Add($"r.run_id{collate} ASC");
        return string.Join(", ", items);
    }

    /// <summary>Collects parameter values and hands out their names.</summary>
    private sealed class ParameterList(int first)
    {
        private readonly List<object?> _values = [];

        public IReadOnlyList<object?> Values => _values;

        public string Add(object? value)
        {
            _values.Add(value);
            return "@p" + (first + _values.Count - 1).ToString(CultureInfo.InvariantCulture);
        }
    }
}
