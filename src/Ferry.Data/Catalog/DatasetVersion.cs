using Ferry.Data.Schema;

namespace Ferry.Data.Catalog;

/// <summary>One recorded version of a named dataset.</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="ContentHash">The content hash (see <see cref="Versioning.ContentHash"/>).</param>
/// <param name="Rows">Rows (or images) in the version.</param>
/// <param name="Schema">The inferred schema.</param>
/// <param name="Profiles">Per-column distributions, for diffs and drift checks.</param>
/// <param name="SourcePath">The absolute path it was added from.</param>
/// <param name="Format">How the source was read.</param>
/// <param name="BadRowCount">Rows left out when it was read.</param>
/// <param name="CreatedAt">When this version was first recorded.</param>
public sealed record DatasetVersion(
    string Name,
    int Version,
    string ContentHash,
    long Rows,
    DatasetSchema Schema,
    IReadOnlyList<ColumnProfile> Profiles,
    string SourcePath,
    string Format,
    long BadRowCount,
    DateTimeOffset CreatedAt)
{
    /// <summary>The reference <c>NAME@VERSION</c>.</summary>
    public string Ref => $"{Name}@{Version}";
}

/// <summary>The outcome of adding a dataset: the version, and whether its content was already recorded.</summary>
/// <param name="Version">The version that holds the content.</param>
/// <param name="Created">False when the same content was already a version of this dataset.</param>
public sealed record AddDatasetResult(DatasetVersion Version, bool Created);
