using System.Text;

namespace Ferry.Data.Reports;

/// <summary>
/// Writes the report of <c>ferry data inspect</c>: a folder holding <c>index.html</c> (self-contained: inline CSS,
/// no scripts or external assets) and one PNG chart per column under <c>charts/</c>.
/// </summary>
public static class InspectReportWriter
{
    /// <summary>Charts beyond this many columns are left out (the schema table still lists every column).</summary>
    internal const int MaxCharts = 500;

    /// <summary>The folder, inside the report folder, that holds the charts.</summary>
    internal const string ChartsFolder = "charts";

    /// <summary>
    /// Writes the report into <paramref name="folder"/>, which must not exist yet. The folder appears whole or not at
    /// all: a failure or cancellation leaves nothing behind.
    /// </summary>
    /// <param name="report">What to show.</param>
    /// <param name="folder">The report folder to create.</param>
    /// <param name="ct">Cancels the write.</param>
    /// <returns>The full path of the written <c>index.html</c>.</returns>
    /// <exception cref="FerryException">Conflict <c>REPORT_FOLDER_EXISTS</c> when <paramref name="folder"/> already exists.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; nothing was written.</exception>
    public static async Task<string> WriteAsync(InspectReport report, string folder, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ct.ThrowIfCancellationRequested();
        var target = Path.GetFullPath(folder);
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw FerryException.Conflict(
                "REPORT_FOLDER_EXISTS",
                $"The report folder '{folder}' already exists. Choose a new folder, or delete the old report first.");
        }

        await AtomicDirectory.WriteAsync(target, (staging, token) => WriteContentAsync(report, staging, token), ct).ConfigureAwait(false);
        return Path.Combine(target, "index.html");
    }

    private static async Task WriteContentAsync(InspectReport report, string staging, CancellationToken ct)
    {
        var charted = report.Profiles.Take(MaxCharts).ToList();
        var fileNames = ChartFileNames.For([.. charted.Select(p => p.Name)]);
        var chartsDirectory = Directory.CreateDirectory(Path.Combine(staging, ChartsFolder)).FullName;
        var relativePaths = new List<string>(charted.Count);
        for (var i = 0; i < charted.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var profile = charted[i];
            var png = ColumnChartRenderer.Render(profile, profile.Name == report.Schema.Label, report.Schema.Task);
            await File.WriteAllBytesAsync(Path.Combine(chartsDirectory, fileNames[i]), png, ct).ConfigureAwait(false);

            // Forward slashes: this is a URL in the page, not a file-system path.
            relativePaths.Add($"{ChartsFolder}/{fileNames[i]}");
        }

        var html = InspectHtml.Build(report, relativePaths, report.Profiles.Count - charted.Count);
        await File.WriteAllTextAsync(Path.Combine(staging, "index.html"), html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct)
            .ConfigureAwait(false);
    }
}
