namespace Ferry.Serving;

/// <summary>The error codes the serving core raises; the HTTP layer maps their kinds to statuses.</summary>
public static class ServingErrors
{
    /// <summary>No model (or version, or alias) by that name is served (404).</summary>
    public const string ModelNotFound = "MODEL_NOT_FOUND";

    /// <summary>The model is known but has no version ready yet (503).</summary>
    public const string ModelNotReady = "MODEL_NOT_READY";

    /// <summary>The model's request queue is full (503 with Retry-After).</summary>
    public const string ServerBusy = "SERVER_BUSY";

    /// <summary>A request waited longer than its timeout (503).</summary>
    public const string Timeout = "REQUEST_TIMEOUT";

    /// <summary>A version could not be loaded or warmed up; the current one keeps serving.</summary>
    public const string LoadFailed = "MODEL_LOAD_FAILED";

    /// <summary>An unknown model name.</summary>
    public static FerryException UnknownModel(string model, IEnumerable<string> served)
    {
        var names = served.Order(StringComparer.Ordinal).ToList();
        var known = names.Count == 0 ? "no model is served yet" : "served: " + string.Join(", ", names);
        return FerryException.NotFound(ModelNotFound, $"no model named '{model}' is served ({known})");
    }
}
