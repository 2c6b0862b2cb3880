using Ferry.Data.Loading;
using Ferry.Data.Schema;
using Ferry.Data.Validation;

namespace Ferry.Data.Reports;

/// <summary>Everything <c>ferry data inspect</c> shows about a dataset, ready for <see cref="InspectReportWriter"/>.</summary>
/// <param name="Title">The dataset's name, shown as the page heading.</param>
/// <param name="Source">Where the data came from (a path as the user gave it).</param>
/// <param name="Version">The stored dataset version, if the data has been registered.</param>
/// <param name="Format">How the file was read, for example "csv (delimiter ',', header, UTF-8)".</param>
/// <param name="Rows">Rows in the table (bad rows excluded).</param>
/// <param name="Schema">The inferred columns, label and task.</param>
/// <param name="Profiles">Per-column distributions; each gets one chart.</param>
/// <param name="Warnings">Findings about the data, with fixes.</param>
/// <param name="BadRows">Details of the first rows that could not be read.</param>
/// <param name="BadRowCount">How many rows could not be read in all.</param>
/// <param name="Notes">Observations about how the file was read.</param>
public sealed record InspectReport(
    string Title,
    string Source,
    string? Version,
    string Format,
    int Rows,
    DatasetSchema Schema,
    IReadOnlyList<ColumnProfile> Profiles,
    IReadOnlyList<DataWarning> Warnings,
    IReadOnlyList<BadRow> BadRows,
    long BadRowCount,
    IReadOnlyList<string> Notes)
{
    /// <summary>The dataset's content hash, if known.</summary>
    public string? ContentHash { get; init; }
}
