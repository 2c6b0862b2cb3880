using System.Globalization;

namespace Ferry.Serving;

/// <summary>One version of one model: the unit the server loads, routes to and unloads.</summary>
/// <param name="Model">The model's name (its registered name, or its folder's name).</param>
/// <param name="Version">The version number.</param>
public readonly record struct ServableId(string Model, int Version)
{
    /// <summary><c>NAME/VERSION</c>, as the CLI and the logs write it.</summary>
    public override string ToString() => $"{Model}/{Version.ToString(CultureInfo.InvariantCulture)}";
}
