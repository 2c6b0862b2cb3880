using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>Which runs to list and how (MLflow's <c>SearchRuns</c>).</summary>
public sealed record RunSearchRequest
{
    /// <summary>The experiments to search; no ids finds no runs.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];

    /// <summary>Which lifecycle stages to include (default active only).</summary>
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;

    /// <summary>Page size, 1 to <see cref="TrackingLimits.MaxSearchResults"/> (default 1000).</summary>
    public int MaxResults { get; init; } = TrackingLimits.DefaultSearchResults;

    /// <summary>The token of the previous page, or null for the first.</summary>
    public string? PageToken { get; init; }

    /// <summary>An MLflow search filter, for example <c>metrics.acc > 0.9 AND params.model = 'forest'</c>; null or blank for all runs.</summary>
    public string? Filter { get; init; }

    /// <summary>MLflow order_by clauses, for example <c>metrics.acc DESC</c>; none for start time descending, then run id.</summary>
    public IReadOnlyList<string>? OrderBy { get; init; }
}

/// <summary>
/// A filter and order translated to SQL (see <see cref="Search.RunQueryBuilder"/>), against the layout in the
/// tracking store's migrations: fragments name the runs table as alias <c>r</c> and use positional
/// parameters <c>@p0</c>, <c>@p1</c>, … bound from <see cref="Parameters"/> in order.
/// </summary>
/// <param name="WhereSql">A boolean condition ANDed with the experiment and view-type filter; empty for none.</param>
/// <param name="Parameters">The values of <c>@p0</c>, <c>@p1</c>, ….</param>
/// <param name="OrderBySql">An ORDER BY list without the keywords, ending with MLflow's tie-breakers so pages are stable.</param>
internal sealed record RunQuery(string WhereSql, IReadOnlyList<object?> Parameters, string OrderBySql);

/// <summary>One page of results and the token of the next page.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Items">The results on this page.</param>
/// <param name="NextPageToken">The token for the next page, or null when this is the last.</param>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? NextPageToken);
