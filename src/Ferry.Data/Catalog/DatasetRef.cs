using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Data.Catalog;

/// <summary>A reference to a dataset, <c>NAME</c> (the latest version) or <c>NAME@VERSION</c>.</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Version">The version number, or null for the latest.</param>
public sealed partial record DatasetRef(string Name, int? Version)
{
    /// <summary>Parses <c>NAME</c> or <c>NAME@VERSION</c>.</summary>
    /// <exception cref="FerryException">Usage error naming what is malformed.</exception>
    public static DatasetRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var name = at < 0 ? text : text[..at];
        DatasetNames.Validate(name);
        if (at < 0)
        {
            return new DatasetRef(name, null);
        }

        var versionText = text[(at + 1)..];
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw FerryException.Usage("DATASET_REF_INVALID",
                $"'{text}' is not NAME or NAME@VERSION: the version '{versionText}' must be a whole number from 1 (for example iris@2)");
        }

        return new DatasetRef(name, version);
    }

    /// <inheritdoc />
    public override string ToString() => Version is { } v ? $"{Name}@{v}" : Name;
}

/// <summary>The rule for dataset names.</summary>
public static partial class DatasetNames
{
    /// <summary>Throws a usage error unless <paramref name="name"/> is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static void Validate(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw FerryException.Usage("DATASET_NAME_INVALID",
                $"dataset name '{name}' is not valid: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
