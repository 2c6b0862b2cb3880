namespace Ferry.Tracking.Model;

/// <summary>Whether an experiment or run is live or soft-deleted (MLflow's <c>lifecycle_stage</c>).</summary>
public enum LifecycleStage
{
    /// <summary>Live: listed by default and writable. Stored as <c>active</c>.</summary>
    Active,

    /// <summary>Soft-deleted: hidden from default listings, restorable. Stored as <c>deleted</c>.</summary>
    Deleted,
}

/// <summary>Which lifecycle stages a search returns (MLflow's <c>ViewType</c>).</summary>
public enum ViewType
{
    /// <summary>Only active experiments or runs (the default).</summary>
    ActiveOnly,

    /// <summary>Only soft-deleted ones.</summary>
    DeletedOnly,

    /// <summary>Both.</summary>
    All,
}
