namespace Ferry.Tracking;

/// <summary>The error codes tracking stores throw, named as MLflow names them so the server can pass them on.</summary>
public static class TrackingErrors
{
    /// <summary>An experiment, run or tag does not exist (<see cref="ErrorKind.NotFound"/>).</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>A name is taken (<see cref="ErrorKind.Conflict"/>).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>
    /// A field is missing, too long or malformed, a param would change, or the target is in the wrong lifecycle
    /// stage (logging to a deleted run, as MLflow reports it) (<see cref="ErrorKind.InvalidInput"/>).
    /// </summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    internal static FerryException NotFound(string message) => FerryException.NotFound(ResourceDoesNotExist, message);

    internal static FerryException AlreadyExists(string message) => FerryException.Conflict(ResourceAlreadyExists, message);

    internal static FerryException Invalid(string message) => FerryException.Invalid(InvalidParameterValue, message);

}
