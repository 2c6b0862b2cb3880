using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Data.Validation;

namespace Ferry.Data.Analysis;

/// <summary>How to read and interpret a dataset.</summary>
public sealed record AnalyzeOptions
{
    /// <summary>The label column; null finds one named label, target, class or y.</summary>
    public string? Label { get; init; }

    /// <summary>The task; null infers it from the label.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>How to read table files.</summary>
    public TableLoadOptions Load { get; init; } = new();

    /// <summary>A test file to check for rows shared with this one.</summary>
    public string? TestPath { get; init; }
}

/// <summary>Everything Ferry learned about a dataset: what was read, its schema, distributions, warnings and content hash.</summary>
/// <param name="Source">The path as given.</param>
/// <param name="Format">How it was read.</param>
/// <param name="Table">The rows, for table datasets; for image folders a table of image ids and labels.</param>
/// <param name="Images">The decoded images, for image datasets.</param>
/// <param name="Schema">The inferred schema.</param>
/// <param name="Profiles">Per-column distributions.</param>
/// <param name="Warnings">Findings with suggested fixes, most severe first.</param>
/// <param name="BadRows">Details of rows left out.</param>
/// <param name="BadRowCount">How many rows were left out.</param>
/// <param name="Notes">How the source was read.</param>
/// <param name="ContentHash">The version identity of the content.</param>
public sealed record DatasetAnalysis(
    string Source,
    string Format,
    Table Table,
    ImageDataset? Images,
    DatasetSchema Schema,
    IReadOnlyList<ColumnProfile> Profiles,
    IReadOnlyList<DataWarning> Warnings,
    IReadOnlyList<BadRow> BadRows,
    long BadRowCount,
    IReadOnlyList<string> Notes,
    string ContentHash);
