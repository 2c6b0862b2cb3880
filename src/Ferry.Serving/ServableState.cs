namespace Ferry.Serving;

/// <summary>Where a version is in its life in the server (after TF Serving's servable states).</summary>
public enum ServableState
{
    /// <summary>Being loaded and warmed up; not taking traffic.</summary>
    Loading,

    /// <summary>Loaded and warm; may take traffic.</summary>
    Available,

    /// <summary>No longer routed to; finishing the requests it holds before it is unloaded.</summary>
    Unloading,

    /// <summary>Unloaded.</summary>
    End,

    /// <summary>Failed to load or warm up; never took traffic.</summary>
    Failed,
}

/// <summary>A change of a version's state, published in order for each version.</summary>
/// <param name="Id">The version.</param>
/// <param name="State">Its new state.</param>
/// <param name="At">When it changed.</param>
/// <param name="Error">Why, for <see cref="ServableState.Failed"/>.</param>
/// <param name="Seconds">How long the load took, for <see cref="ServableState.Available"/> and <see cref="ServableState.Failed"/>.</param>
public sealed record ServableEvent(ServableId Id, ServableState State, DateTimeOffset At, string? Error = null, double? Seconds = null);
