using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests;

/// <summary>The repository's samples folder, and a deliberately naive reader for it.</summary>
internal static class TestSamples
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Folder => Path.Combine(Root.Value, "samples");

    public static string PathOf(string fileName) => Path.Combine(Folder, fileName);

    /// <summary>
    /// Reads a sample CSV without the real CSV reader, so tests of schema, splits and Parquet do not depend on
    /// the loader they are not testing: comma, header, no quotes (true of every sample), empty = missing; a
    /// column whose present values all parse as numbers is numeric, any other is text.
    /// </summary>
    public static Table ReadNaive(string fileName) => ParseNaive(File.ReadAllText(PathOf(fileName)));

    /// <inheritdoc cref="ReadNaive"/>
    public static Table ParseNaive(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[0].Split(',');
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var columns = new List<Column>();
        for (var c = 0; c < header.Length; c++)
        {
            var raw = cells.Select(row => row[c].Length == 0 ? null : row[c]).ToList();
            var numbers = new double[raw.Count];
            var numeric = true;
            for (var r = 0; r < raw.Count && numeric; r++)
            {
                numbers[r] = double.NaN;
                numeric = raw[r] is null || double.TryParse(raw[r], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[r]);
            }

            columns.Add(numeric ? new NumericColumn(header[c], numbers) : StringColumn.FromValues(header[c], raw));
        }

        return new Table(columns);
    }
}
