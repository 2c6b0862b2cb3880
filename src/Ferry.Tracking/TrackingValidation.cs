using System.Text.RegularExpressions;
using Ferry.Tracking.Model;

namespace Ferry.Tracking;

/// <summary>MLflow's checks on names and values, shared by every store so they reject the same things with the same words.</summary>
internal static partial class TrackingValidation
{
    public static void Key(string? key, string what)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw TrackingErrors.Invalid($"{what} key is missing: give a non-empty key");
        }

        if (key.Length > TrackingLimits.MaxKeyLength)
        {
            throw TrackingErrors.Invalid($"{what} key '{Shorten(key)}' has {key.Length} characters; the limit is {TrackingLimits.MaxKeyLength}");
        }

        // Keys double as file paths in MLflow's file store, so MLflow limits them to path-safe characters.
        if (!KeyCharacters().IsMatch(key) || !IsNormalPath(key))
        {
            throw TrackingErrors.Invalid(
                $"{what} key '{key}' is not allowed: use letters, digits, '_', '-', '.', ' ', ':' and '/' as a relative path without '..', '//' or a leading or trailing '/'");
        }
    }

    public static void Value(string? value, int limit, string what, string key)
    {
        if (value is null)
        {
            throw TrackingErrors.Invalid($"{what} '{key}' has no value: give a value (it may be empty)");
        }

        if (value.Length > limit)
        {
            throw TrackingErrors.Invalid($"{what} '{key}' has a value of {value.Length} characters; the limit is {limit}");
        }
    }

    public static void ExperimentName(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw TrackingErrors.Invalid($"experiment {field} is missing: give a non-empty name");
        }

        if (name.Length > TrackingLimits.MaxExperimentNameLength)
        {
            throw TrackingErrors.Invalid($"experiment {field} '{Shorten(name)}' has {name.Length} characters; the limit is {TrackingLimits.MaxExperimentNameLength}");
        }
    }

    public static void MaxResults(int maxResults)
    {
        if (maxResults is < 1 or > TrackingLimits.MaxSearchResults)
        {
            throw TrackingErrors.Invalid($"max_results is {maxResults}; it must be between 1 and {TrackingLimits.MaxSearchResults}");
        }
    }

    public static void Batch(IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        Limit(metrics.Count, TrackingLimits.MaxMetricsPerBatch, "metrics");
        Limit(parameters.Count, TrackingLimits.MaxParamsPerBatch, "params");
        Limit(tags.Count, TrackingLimits.MaxTagsPerBatch, "tags");
        var total = metrics.Count + parameters.Count + tags.Count;
        if (total > TrackingLimits.MaxEntitiesPerBatch)
        {
            throw TrackingErrors.Invalid(
                $"a batch may hold at most {TrackingLimits.MaxEntitiesPerBatch} metrics, params and tags together; got {total}: split it into smaller batches");
        }

        foreach (var metric in metrics)
        {
            ArgumentNullException.ThrowIfNull(metric);
            Key(metric.Key, "metric");
        }

        foreach (var param in parameters)
        {
            ArgumentNullException.ThrowIfNull(param);
            Key(param.Key, "param");
            Value(param.Value, TrackingLimits.MaxParamValueLength, "param", param.Key);
        }

        foreach (var tag in tags)
        {
            ArgumentNullException.ThrowIfNull(tag);
            Key(tag.Key, "tag");
            Value(tag.Value, TrackingLimits.MaxTagValueLength, "tag", tag.Key);
        }
    }

    public static void Dataset(DatasetInput dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Required(dataset.Name, "dataset name");
        Required(dataset.Digest, "dataset digest");
        Required(dataset.SourceType, "dataset source_type");
        Required(dataset.Source, "dataset source");
        if (dataset.Name.Length > TrackingLimits.MaxDatasetNameLength)
        {
            throw TrackingErrors.Invalid($"dataset name '{Shorten(dataset.Name)}' has {dataset.Name.Length} characters; the limit is {TrackingLimits.MaxDatasetNameLength}");
        }
    }

    private static void Required(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw TrackingErrors.Invalid($"{field} is missing: give a non-empty value");
        }
    }

    private static void Limit(int count, int limit, string what)
    {
        if (count > limit)
        {
            throw TrackingErrors.Invalid($"a batch may hold at most {limit} {what}; got {count}: split it into smaller batches");
        }
    }

    private static bool IsNormalPath(string key) =>
        !key.StartsWith('/') && !key.EndsWith('/') && !key.Contains("//", StringComparison.Ordinal)
        && key.Split('/').All(part => part is not "." and not "..");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^[/\w.\- :]*$")]
    private static partial Regex KeyCharacters();
}
