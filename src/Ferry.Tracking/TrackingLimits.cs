namespace Ferry.Tracking;

/// <summary>MLflow's limits on what one call may log or ask for; the stores enforce them.</summary>
public static class TrackingLimits
{
    /// <summary>Most metrics in one log-batch.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Most params in one log-batch.</summary>
    public const int MaxParamsPerBatch = 100;

    /// <summary>Most tags in one log-batch.</summary>
    public const int MaxTagsPerBatch = 100;

    /// <summary>Most metrics, params and tags together in one log-batch.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Longest metric, param or tag key.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>Longest param value.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>Longest run tag value.</summary>
    public const int MaxTagValueLength = 8000;

    /// <summary>Longest experiment tag value.</summary>
    public const int MaxExperimentTagValueLength = 5000;

    /// <summary>Longest experiment name.</summary>
    public const int MaxExperimentNameLength = 500;

    /// <summary>Longest dataset name.</summary>
    public const int MaxDatasetNameLength = 500;

    /// <summary>The page size of a search that does not give one.</summary>
    public const int DefaultSearchResults = 1000;

    /// <summary>The largest page a search may ask for.</summary>
    public const int MaxSearchResults = 50000;

    /// <summary>Longest registered model name.</summary>
    public const int MaxRegisteredModelNameLength = 256;

    /// <summary>Longest registered model or model version tag value.</summary>
    public const int MaxRegistryTagValueLength = 100_000;

    /// <summary>Longest registered model or model version description.</summary>
    public const int MaxRegistryDescriptionLength = 100_000;

    /// <summary>Longest model alias.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>The page size of a registered-model search that does not give one.</summary>
    public const int DefaultRegisteredModelSearchResults = 100;

    /// <summary>The largest page a registered-model search may ask for.</summary>
    public const int MaxRegisteredModelSearchResults = 1000;

    /// <summary>The page size of a model-version search that does not give one.</summary>
    public const int DefaultModelVersionSearchResults = 10_000;

    /// <summary>The largest page a model-version search may ask for.</summary>
    public const int MaxModelVersionSearchResults = 200_000;
}
