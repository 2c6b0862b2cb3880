using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ferry.Tracking.Registry;

/// <summary>MLflow's checks on registry names, aliases and tags, shared by every store.</summary>
internal static partial class RegistryValidation
{
    public static void ModelName(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw TrackingErrors.Invalid($"registered model {field} is missing: give a non-empty name");
        }

        if (name.Length > TrackingLimits.MaxRegisteredModelNameLength)
        {
            throw TrackingErrors.Invalid($"registered model {field} has {name.Length} characters; the limit is {TrackingLimits.MaxRegisteredModelNameLength}");
        }
    }

    public static void Tag(string? key, string? value, string what)
    {
        TrackingValidation.Key(key, what);
        TrackingValidation.Value(value, TrackingLimits.MaxRegistryTagValueLength, what, key!);
    }

    public static void Tags(IReadOnlyList<RegistryTag>? tags, string what)
    {
        foreach (var tag in tags ?? [])
        {
            ArgumentNullException.ThrowIfNull(tag);
            Tag(tag.Key, tag.Value, what);
        }
    }

    public static void Description(string? description, string what)
    {
        if (description is { Length: > TrackingLimits.MaxRegistryDescriptionLength })
        {
            throw TrackingErrors.Invalid($"{what} description has {description.Length} characters; the limit is {TrackingLimits.MaxRegistryDescriptionLength}");
        }
    }

    /// <summary>MLflow's alias rules, with its words: path-safe characters, a length limit, and two reserved forms.</summary>
    public static void Alias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw TrackingErrors.Invalid("alias is missing: registered model alias name cannot be empty");
        }

        if (!AliasCharacters().IsMatch(alias))
        {
            throw TrackingErrors.Invalid($"alias '{alias}' is invalid: names may only contain alphanumerics, underscores (_), and dashes (-)");
        }

        if (alias.Length > TrackingLimits.MaxAliasLength)
        {
            throw TrackingErrors.Invalid($"alias has {alias.Length} characters; the limit is {TrackingLimits.MaxAliasLength}");
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw TrackingErrors.Invalid("alias 'latest' (case insensitive) is reserved: choose another alias");
        }

        if (VersionLike().IsMatch(alias))
        {
            throw TrackingErrors.Invalid($"alias '{alias}' is reserved: version-like aliases (v1, v2, …) name versions; choose another alias");
        }
    }

    public static void Stage(ModelStage stage)
    {
        if (!Enum.IsDefined(stage))
        {
            throw TrackingErrors.Invalid($"stage {(int)stage} is not a model version stage: use one of None, Staging, Production, Archived");
        }
    }

    public static void Request(CreateModelVersionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelName(request.Name);
        if (string.IsNullOrEmpty(request.Source))
        {
            throw TrackingErrors.Invalid("source is missing: give the location of the model version's files");
        }

        Tags(request.Tags, "model version tag");
        Description(request.Description, "model version");
        foreach (var dataset in request.DatasetVersions ?? [])
        {
            if (string.IsNullOrWhiteSpace(dataset) || dataset.Length > TrackingLimits.MaxDatasetNameLength)
            {
                throw TrackingErrors.Invalid($"dataset_versions holds '{dataset}': each entry must be a non-empty dataset version such as 'iris@2' of at most {TrackingLimits.MaxDatasetNameLength} characters");
            }
        }

        if (request.Signature is { } signature)
        {
            try
            {
                using var _ = JsonDocument.Parse(signature);
            }
            catch (JsonException e)
            {
                throw TrackingErrors.Invalid($"signature is not valid JSON ({e.Message}): give the signature as a JSON document");
            }
        }
    }

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasCharacters();

    [GeneratedRegex(@"^v\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex VersionLike();
}
