using Ferry.Tracking;

namespace Ferry.Hosting.Wire;

/// <summary>The errors the wire layer raises itself, in MLflow's codes.</summary>
internal static class WireErrors
{
    /// <summary>MLflow's code for an endpoint the server does not have.</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>MLflow's code for an unexpected server fault.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>A malformed request: HTTP 400 INVALID_PARAMETER_VALUE.</summary>
    public static FerryException Invalid(string message) => FerryException.Invalid(TrackingErrors.InvalidParameterValue, message);
}
