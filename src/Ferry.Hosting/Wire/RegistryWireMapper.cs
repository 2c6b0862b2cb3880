using System.Globalization;
using Ferry.Tracking.Registry;

namespace Ferry.Hosting.Wire;

/// <summary>Converts between the model registry and MLflow's wire shapes, in both directions.</summary>
internal static class RegistryWireMapper
{
    /// <summary>A registered model as MLflow renders it: an empty description is left out, as is every empty list.</summary>
    public static WireRegisteredModel ToWire(RegisteredModel m) => new(
        m.Name,
        m.CreationTimestamp,
        m.LastUpdatedTimestamp,
        string.IsNullOrEmpty(m.Description) ? null : m.Description,
        // MLflow leaves the aliases out of the versions nested in a registered model; the model lists them itself.
        WireMapper.NullIfEmpty(m.LatestVersions.Select(v => ToWire(v, withAliases: false)).ToList()),
        Tags(m.Tags),
        WireMapper.NullIfEmpty(m.Aliases.Select(a => new WireModelAlias(a.Alias, Version(a.Version))).ToList()));

    /// <param name="v">The version.</param>
    /// <param name="withAliases">
    /// MLflow lists a version's aliases when it returns the one version (get, create, update, transition, alias) but not
    /// in search results or latest versions.
    /// </param>
    public static WireModelVersion ToWire(ModelVersion v, bool withAliases) => new(
        v.Name,
        Version(v.Version),
        v.CreationTimestamp,
        v.LastUpdatedTimestamp,
        string.IsNullOrEmpty(v.UserId) ? null : v.UserId,
        ModelStages.Name(v.CurrentStage),
        v.Description,
        v.Source,
        string.IsNullOrEmpty(v.RunId) ? null : v.RunId,
        ModelStages.StatusName(v.Status),
        string.IsNullOrEmpty(v.StatusMessage) ? null : v.StatusMessage,
        Tags(v.Tags),
        v.RunLink,
        withAliases ? WireMapper.NullIfEmpty(v.Aliases) : null);

    public static IReadOnlyList<RegistryTag> RegistryTags(WireMessage message, string field) =>
        message.Messages(field).Select(t => new RegistryTag(t.RequiredString("key"), t.RequiredString("value"))).ToList();

    /// <summary>The version number a request names (MLflow's clients send it as a string); anything but a positive integer is INVALID_PARAMETER_VALUE.</summary>
    public static int VersionNumber(WireMessage m, string field = "version")
    {
        var text = m.RequiredString(field);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw WireErrors.Invalid($"Invalid value '{text}' for parameter '{field}': a model version must be an integer such as 1");
    }

    private static string Version(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<WireKeyValue>? Tags(IReadOnlyList<RegistryTag> tags) =>
        WireMapper.NullIfEmpty(tags.Select(t => new WireKeyValue(t.Key, t.Value)).ToList());
}
