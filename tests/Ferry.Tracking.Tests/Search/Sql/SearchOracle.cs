using System.Text;
using System.Text.RegularExpressions;
using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

/// <summary>
/// An independent model of MLflow's run search over in-memory runs, written from MLflow's Python reference
/// (<c>SearchUtils._does_run_match_clause</c> and <c>SearchUtils.sort</c>), not from the SQL translation:
/// IEEE comparisons for metrics (a NaN only satisfies !=), a missing key never matches, datasets match if any
/// input does, LIKE through a regular expression, and sorting by repeated stable sorts on MLflow's tuple keys.
/// </summary>
internal static class SearchOracle
{
    public static List<TestRun> Search(IEnumerable<TestRun> runs, RunFilter filter, IReadOnlyList<OrderClause> orderBy) =>
        Sort(runs.Where(r => filter.Comparisons.All(c => Matches(r, c))), orderBy);

    private static bool Matches(TestRun run, RunComparison c)
    {
        switch (c.Entity)
        {
            case SearchEntity.Metric:
                return run.Metrics.TryGetValue(c.Key, out var metric) && CompareNumbers(metric, c.Comparator, ((NumberValue)c.Value).Value);
            case SearchEntity.Param or SearchEntity.Tag:
                var map = c.Entity == SearchEntity.Param ? run.Params : run.Tags;
                var has = map.TryGetValue(c.Key, out var text);
                return c.Comparator switch
                {
                    SearchComparator.IsNull => !has,
                    SearchComparator.IsNotNull => has,
                    _ => has && CompareText(text!, c),
                };
            case SearchEntity.Attribute:
                return c.Key switch
                {
                    "start_time" => CompareNumbers(run.StartTime, c.Comparator, ((NumberValue)c.Value).Value),
                    "end_time" => run.EndTime is { } end && CompareNumbers(end, c.Comparator, ((NumberValue)c.Value).Value),
                    "run_id" => CompareText(run.RunId, c),
                    "run_name" => CompareText(run.RunName, c),
                    "status" => CompareText(run.Status, c),
                    "user_id" => CompareText(run.UserId, c),
                    "artifact_uri" => CompareText(run.ArtifactUri, c),
                    _ => throw new InvalidOperationException(c.Key),
                };
            default:
                return run.Inputs.Any(input =>
                {
                    var dataset = SearchTestData.Datasets.Single(d => d.Id == input.DatasetId);
                    return c.Key switch
                    {
                        "name" => CompareText(dataset.Name, c),
                        "digest" => CompareText(dataset.Digest, c),
                        _ => input.Context is { } context && CompareText(context, c),
                    };
                });
        }
    }

    private static bool CompareNumbers(double left, SearchComparator comparator, double right) => comparator switch
    {
        SearchComparator.Equal => left == right,
        SearchComparator.NotEqual => left != right,
        SearchComparator.Greater => left > right,
        SearchComparator.GreaterOrEqual => left >= right,
        SearchComparator.Less => left < right,
        SearchComparator.LessOrEqual => left <= right,
        _ => throw new InvalidOperationException(comparator.ToString()),
    };

    private static bool CompareText(string left, RunComparison c) => c.Comparator switch
    {
        SearchComparator.Equal => left == ((StringValue)c.Value).Value,
        SearchComparator.NotEqual => left != ((StringValue)c.Value).Value,
        SearchComparator.Like => LikeRegex(((StringValue)c.Value).Value, ignoreCase: false).IsMatch(left),
        SearchComparator.ILike => LikeRegex(((StringValue)c.Value).Value, ignoreCase: true).IsMatch(left),
        SearchComparator.In => ((StringListValue)c.Value).Values.Contains(left, StringComparer.Ordinal),
        SearchComparator.NotIn => !((StringListValue)c.Value).Values.Contains(left, StringComparer.Ordinal),
        _ => throw new InvalidOperationException(c.Comparator.ToString()),
    };

    private static Regex LikeRegex(string pattern, bool ignoreCase)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(ch switch { '%' => ".*", '_' => ".", _ => Regex.Escape(ch.ToString()) });
            }
        }

        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new Regex(regex.Append('$').ToString(), options);
    }

    /// <summary>MLflow's sort: natural order (start_time DESC, run_id), then a stable sort per clause, last clause first.</summary>
    private static List<TestRun> Sort(IEnumerable<TestRun> runs, IReadOnlyList<OrderClause> orderBy)
    {
        var sorted = runs.OrderBy(r => -r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        foreach (var clause in orderBy.Reverse())
        {
            var keyed = sorted.Select(r => (Run: r, Key: SortKey(r, clause))).ToList();
            sorted = (clause.Ascending
                    ? keyed.OrderBy(k => k.Key, SortKeyComparer.Instance)
                    : keyed.OrderByDescending(k => k.Key, SortKeyComparer.Instance))
                .Select(k => k.Run)
                .ToList();
        }

        return sorted;
    }

    /// <summary>MLflow's <c>_get_value_for_sort</c>: missing and NaN values go last in either direction.</summary>
    private static (bool Flag, object Value) SortKey(TestRun run, OrderClause clause)
    {
        object? value = clause.Entity switch
        {
            SearchEntity.Metric => run.Metrics.TryGetValue(clause.Key, out var m) ? m : null,
            SearchEntity.Param => run.Params.GetValueOrDefault(clause.Key),
            SearchEntity.Tag => run.Tags.GetValueOrDefault(clause.Key),
            _ => clause.Key switch
            {
                "start_time" => (double)run.StartTime,
                "end_time" => run.EndTime is { } e ? (double)e : null,
                "run_id" => run.RunId,
                "run_name" => run.RunName,
                "status" => run.Status,
                "user_id" => run.UserId,
                "artifact_uri" => run.ArtifactUri,
                _ => throw new InvalidOperationException(clause.Key),
            },
        };

        var isNone = value is null;
        var isNan = value is double d && double.IsNaN(d);
        var fill = clause.Ascending ? double.PositiveInfinity : double.NegativeInfinity;
        if (isNone)
        {
            value = fill;
        }
        else if (isNan)
        {
            value = -fill;
        }

        var noneOrNan = isNone || isNan;
        return clause.Ascending ? (noneOrNan, value!) : (!noneOrNan, value!);
    }

    private sealed class SortKeyComparer : IComparer<(bool Flag, object Value)>
    {
        public static readonly SortKeyComparer Instance = new();

        public int Compare((bool Flag, object Value) x, (bool Flag, object Value) y)
        {
            var byFlag = x.Flag.CompareTo(y.Flag);
            if (byFlag != 0)
            {
                return byFlag;
            }

            return (x.Value, y.Value) switch
            {
                (double a, double b) => a.CompareTo(b),
                (string a, string b) => string.CompareOrdinal(a, b),
                _ => throw new InvalidOperationException($"Python would raise TypeError comparing {x.Value} and {y.Value}."),
            };
        }
    }
}
