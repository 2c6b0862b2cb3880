using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Schema;

/// <summary>
/// Test-only table builders and a deliberately tiny CSV reader for the samples (comma, header, no quotes,
/// empty = missing): all-numeric columns become <see cref="NumericColumn"/>, others <see cref="StringColumn"/>.
/// The real CSV reader lives elsewhere; these tests must not depend on it.
/// </summary>
internal static class SchemaTestData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string SamplesDirectory => Path.Combine(Root.Value, "samples");

    public static Table Sample(string name) => ParseCsv(File.ReadAllText(Path.Combine(SamplesDirectory, name + ".csv")));

    public static Table ParseCsv(string text)
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

    public static NumericColumn Num(string name, params double[] values) => new(name, values);

    public static StringColumn Str(string name, params string?[] values) => StringColumn.FromValues(name, values);

    /// <summary>A table with one more column.</summary>
    public static Table With(this Table table, Column column) => new([.. table.Columns, column]);

    /// <summary>A table without the named column.</summary>
    public static Table Without(this Table table, string name) => new(table.Columns.Where(c => c.Name != name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
    }
}
