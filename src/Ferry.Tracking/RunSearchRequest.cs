using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>Which runs to list and how (MLflow's <c>SearchRuns</c>, with the filter already translated to SQL).</summary>
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

    /// <summary>A translated filter and order, or null for all runs by start time descending, then run id.</summary>
    public RunQuery? Query { get; init; }
}

/// <summary>
/// A filter and order already translated to SQL by the search translator, against the layout in the
/// tracking store's migrations: fragments name the runs table as alias <c>r</c> and use positional
/// parameters <c>@p0</c>, <c>@p1</c>, … bound from <see cref="Parameters"/> in order.
/// </summary>
/// <param name="WhereSql">A boolean condition ANDed with the experiment and view-type filter; empty for none.</param>
/// <param name="Parameters">The values of <c>@p0</c>, <c>@p1</c>, ….</param>
/// <param name="OrderBySql">An ORDER BY list without the keywords; empty for the default order. The store appends <c>r.run_id</c> so pages are stable.</param>
public sealed record RunQuery(string WhereSql, IReadOnlyList<object?> Parameters, string OrderBySql);

/// <summary>One page of results and the token of the next page.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Items">The results on this page.</param>
/// <param name="NextPageToken">The token for the next page, or null when this is the last.</param>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? NextPageToken);
