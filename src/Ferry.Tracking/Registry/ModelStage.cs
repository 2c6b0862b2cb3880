namespace Ferry.Tracking.Registry;

/// <summary>MLflow's model version stages (deprecated in MLflow in favour of aliases, still used by its clients).</summary>
public enum ModelStage
{
    /// <summary>No stage (the default). Written <c>None</c>.</summary>
    None,

    /// <summary>Being tried out. Written <c>Staging</c>.</summary>
    Staging,

    /// <summary>Serving. Written <c>Production</c>.</summary>
    Production,

    /// <summary>Retired. Written <c>Archived</c>.</summary>
    Archived,
}

/// <summary>Whether a model version's registration finished (MLflow's <c>ModelVersionStatus</c>).</summary>
public enum ModelVersionStatus
{
    /// <summary>Still being registered.</summary>
    PendingRegistration,

    /// <summary>Registration failed.</summary>
    FailedRegistration,

    /// <summary>Registered and usable.</summary>
    Ready,
}

/// <summary>Stage and status names as MLflow writes them.</summary>
public static class ModelStages
{
    /// <summary>The stage as MLflow writes it: <c>None</c>, <c>Staging</c>, <c>Production</c> or <c>Archived</c>.</summary>
    public static string Name(ModelStage stage) => stage.ToString();

    /// <summary>Parses a stage name ignoring case, as MLflow does; anything else is INVALID_PARAMETER_VALUE naming the field.</summary>
    /// <param name="text">The stage name.</param>
    /// <param name="field">The request field it came from, for the message.</param>
    public static ModelStage Parse(string? text, string field = "stage")
    {
        foreach (var stage in Enum.GetValues<ModelStage>())
        {
            if (string.Equals(text, stage.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return stage;
            }
        }

        throw TrackingErrors.Invalid($"{field} '{text}' is not a model version stage: use one of None, Staging, Production, Archived");
    }

    /// <summary>The status as MLflow writes it: <c>PENDING_REGISTRATION</c>, <c>FAILED_REGISTRATION</c> or <c>READY</c>.</summary>
    public static string StatusName(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        _ => "READY",
    };

    internal static ModelVersionStatus ParseStatus(string text) => text switch
    {
        "PENDING_REGISTRATION" => ModelVersionStatus.PendingRegistration,
        "FAILED_REGISTRATION" => ModelVersionStatus.FailedRegistration,
        _ => ModelVersionStatus.Ready,
    };
}
