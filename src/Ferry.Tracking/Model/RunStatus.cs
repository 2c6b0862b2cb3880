namespace Ferry.Tracking.Model;

/// <summary>Where a run is in its life (MLflow's <c>RunStatus</c>); stored as the upper-case name.</summary>
public enum RunStatus
{
    /// <summary>The run is executing (the status of a new run).</summary>
    Running,

    /// <summary>The run is queued to execute.</summary>
    Scheduled,

    /// <summary>The run completed.</summary>
    Finished,

    /// <summary>The run failed.</summary>
    Failed,

    /// <summary>The run was stopped.</summary>
    Killed,
}
