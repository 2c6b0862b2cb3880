namespace Ferry.Tracking.Search;

/// <summary>Builds the errors of the search language, all with MLflow's INVALID_PARAMETER_VALUE code.</summary>
internal static class SearchErrors
{
    /// <summary>MLflow's error code for a malformed filter or order_by; the server maps it to HTTP 400.</summary>
    public const string Code = "INVALID_PARAMETER_VALUE";

    public static FerryException Invalid(string message) => FerryException.Invalid(Code, message);
}
