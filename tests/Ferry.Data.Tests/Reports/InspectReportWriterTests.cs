using System.Net;
using System.Text.RegularExpressions;
using Ferry.Data.Loading;
using Ferry.Data.Reports;

namespace Ferry.Data.Tests.Reports;

public sealed partial class InspectReportWriterTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ferry-report-");

    public void Dispose() => _temp.Delete(recursive: true);

    [GeneratedRegex("<img[^>]*\\ssrc=\"([^\"]*)\"")]
    private static partial Regex ImageSource();

    private string Folder => Path.Combine(_temp.FullName, "nested", "report");

    [Fact]
    public async Task Writes_an_index_that_mentions_every_column_and_warning()
    {
        var report = ReportTestData.HostileReport();
        var index = await InspectReportWriter.WriteAsync(report, Folder, CancellationToken.None);

        Assert.Equal(Path.Combine(Path.GetFullPath(Folder), "index.html"), index);
        var html = await File.ReadAllTextAsync(index);
        foreach (var column in report.Schema.Columns)
        {
            Assert.Contains(WebUtility.HtmlEncode(column.Name), html, StringComparison.Ordinal);
        }

        foreach (var warning in report.Warnings)
        {
            Assert.Contains(WebUtility.HtmlEncode(warning.Message), html, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(warning.Fix), html, StringComparison.Ordinal);
            Assert.Contains(warning.Code, html, StringComparison.Ordinal);
        }

        Assert.Contains("sev-error", html, StringComparison.Ordinal);
        Assert.Contains("sev-warning", html, StringComparison.Ordinal);
        Assert.Contains("sha256:" + new string('a', 64), html, StringComparison.Ordinal);
        Assert.Contains("multiclass classification", html, StringComparison.Ordinal);
        Assert.Contains("Delimiter detected", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_image_is_a_real_png_inside_the_folder()
    {
        var report = ReportTestData.HostileReport();
        var index = await InspectReportWriter.WriteAsync(report, Folder, CancellationToken.None);
        var html = await File.ReadAllTextAsync(index);
        var root = Path.GetFullPath(Folder) + Path.DirectorySeparatorChar;

        var sources = ImageSource().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(report.Profiles.Count, sources.Count);
        Assert.Equal(sources.Count, sources.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var src in sources)
        {
            Assert.False(Path.IsPathRooted(src), src);
            Assert.DoesNotContain("..", src, StringComparison.Ordinal);
            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(index)!, src));
            Assert.StartsWith(root, file, StringComparison.Ordinal);
            var (width, height) = ReportTestData.PngSize(file);
            Assert.True(width > 0 && height > 0, $"{src}: {width}x{height}");
        }

        // Nothing else was written: the charts and the index, and only inside the folder.
        Assert.Equal(sources.Count + 1, Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(["report"], Directory.GetFileSystemEntries(Path.GetDirectoryName(Path.GetFullPath(Folder))!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task User_strings_are_html_encoded()
    {
        var index = await InspectReportWriter.WriteAsync(ReportTestData.HostileReport(), Folder, CancellationToken.None);
        var html = await File.ReadAllTextAsync(index);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror=alert", html.Replace("&lt;img src=x onerror=alert(2)&gt;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("hostile &lt;dataset&gt;", html, StringComparison.Ordinal);
        Assert.Contains("/data/hostile &amp; co.csv", html, StringComparison.Ordinal);
        Assert.Contains("&lt;x0&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_self_contained()
    {
        var index = await InspectReportWriter.WriteAsync(ReportTestData.HostileReport(), Folder, CancellationToken.None);
        var html = await File.ReadAllTextAsync(index);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_named_dot_dot_slash_writes_nothing_outside_the_folder()
    {
        var index = await InspectReportWriter.WriteAsync(ReportTestData.HostileReport(), Folder, CancellationToken.None);
        var charts = Directory.GetFiles(Path.Combine(Folder, "charts")).Select(Path.GetFileName).ToList();
        Assert.Contains(charts, c => c!.EndsWith("-evil.png", StringComparison.Ordinal));

        // The report folder's parent and grandparent hold nothing the writer did not mean to create.
        Assert.Equal(["report"], Directory.GetFileSystemEntries(Path.Combine(_temp.FullName, "nested")).Select(Path.GetFileName));
        Assert.Equal(["nested"], Directory.GetFileSystemEntries(_temp.FullName).Select(Path.GetFileName));
        Assert.True(File.Exists(index));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_no_folder()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => InspectReportWriter.WriteAsync(ReportTestData.HostileReport(), Folder, cancelled.Token));
        Assert.False(Directory.Exists(Folder));
        Assert.DoesNotContain(
            Directory.GetFileSystemEntries(_temp.FullName, "*", SearchOption.AllDirectories),
            p => p.Contains("report", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_cancelled_midway_leaves_nothing_behind()
    {
        using var cancel = new CancellationTokenSource();
        var one = ReportTestData.HostileReport();

        // Many columns, so rendering lasts long after the first chart lands.
        var report = one with { Profiles = [.. Enumerable.Range(0, 60).SelectMany(i => one.Profiles.Select(p => p with { Name = $"{p.Name}{i}" }))] };

        // Cancel as soon as the staging folder has its first chart, so the write is interrupted part way.
        var parent = Path.GetDirectoryName(Path.GetFullPath(Folder))!;
        Directory.CreateDirectory(parent);
        using var watcher = new FileSystemWatcher(parent) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Created += (_, e) =>
        {
            if (e.FullPath.EndsWith(".png", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InspectReportWriter.WriteAsync(report, Folder, cancel.Token));
        Assert.True(cancel.IsCancellationRequested, "the watcher saw a chart being written in the staging folder");
        Assert.False(Directory.Exists(Folder));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public async Task An_existing_folder_is_a_conflict()
    {
        Directory.CreateDirectory(Folder);
        var error = await Assert.ThrowsAsync<FerryException>(
            () => InspectReportWriter.WriteAsync(ReportTestData.HostileReport(), Folder, CancellationToken.None));
        Assert.Equal(("REPORT_FOLDER_EXISTS", ErrorKind.Conflict), (error.Code, error.Kind));
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public async Task Bad_rows_list_the_first_hundred_and_the_total()
    {
        var report = ReportTestData.HostileReport(badRows: 150);
        var html = await File.ReadAllTextAsync(await InspectReportWriter.WriteAsync(report, Folder, CancellationToken.None));
        Assert.Contains("Bad rows (150)", html, StringComparison.Ordinal);
        Assert.Contains("the first 100 are listed", html, StringComparison.Ordinal);
        Assert.Contains("&lt;x99&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&lt;x100&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_without_problems_says_so()
    {
        var report = ReportTestData.HostileReport(badRows: 0) with { Warnings = [], BadRows = Array.Empty<BadRow>(), Version = null, Notes = [] };
        var html = await File.ReadAllTextAsync(await InspectReportWriter.WriteAsync(report, Folder, CancellationToken.None));
        Assert.Contains("No problems found.", html, StringComparison.Ordinal);
        Assert.Contains("Every row was read.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<dt>Version</dt>", html, StringComparison.Ordinal);
    }
}
