using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>Which experiments to list and how (MLflow's <c>SearchExperiments</c>).</summary>
public sealed record ExperimentSearchRequest
{
    /// <summary>Which lifecycle stages to include (default active only).</summary>
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;

    /// <summary>Page size, 1 to <see cref="TrackingLimits.MaxSearchResults"/> (default 1000).</summary>
    public int MaxResults { get; init; } = TrackingLimits.DefaultSearchResults;

    /// <summary>The token of the previous page, or null for the first.</summary>
    public string? PageToken { get; init; }

    /// <summary>
    /// An MLflow experiment filter: comparisons on <c>name</c> (=, !=, LIKE, ILIKE), <c>creation_time</c> and
    /// <c>last_update_time</c> (=, !=, &lt;, &lt;=, &gt;, &gt;=) or <c>tags.&lt;key&gt;</c> (=, !=, LIKE, ILIKE), joined by AND,
    /// for example <c>name LIKE 'churn%' AND tags.team = 'growth'</c>; null or blank for every experiment.
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>
    /// MLflow order_by clauses over <c>name</c>, <c>experiment_id</c>, <c>creation_time</c> or <c>last_update_time</c>, each
    /// optionally followed by ASC or DESC; none for creation time descending, then experiment id.
    /// </summary>
    public IReadOnlyList<string>? OrderBy { get; init; }
}
