using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

/// <summary>Finds the repository's samples and builds small tables for split tests.</summary>
internal static class SplitTestData
{
    public static string SamplesFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                dir = dir.Parent;
            }

            return dir is null
                ? throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory)
                : Path.Combine(dir.FullName, "samples");
        }
    }

    /// <summary>
    /// Reads a sample CSV with a deliberately naive reader (the samples have no quotes): a column whose non-empty
    /// fields all parse as numbers is numeric, any other is text; an empty field is missing. Kept here so these
    /// tests do not depend on the real loader.
    /// </summary>
    public static Table LoadSample(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(SamplesFolder, name)).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var fields = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var columns = new List<Column>();
        for (var c = 0; c < header.Length; c++)
        {
            var texts = fields.Select(f => f[c].Length == 0 ? null : f[c]).ToArray();
            var numeric = texts.All(t => t is null || double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            columns.Add(numeric
                ? new NumericColumn(header[c], [.. texts.Select(t => t is null ? double.NaN : double.Parse(t, CultureInfo.InvariantCulture))])
                : StringColumn.FromValues(header[c], texts));
        }

        return new Table(columns);
    }

    public static Table Single(Column column) => new([column]);

    /// <summary>Checks a split's parts and excluded rows are disjoint, sorted and together hold every row once.</summary>
    public static void AssertPartition(Ferry.Data.Splits.Split split, int rowCount)
    {
        int[][] parts = [split.Train, split.Validation, split.Test, split.Excluded];
        foreach (var part in parts)
        {
            Assert.True(part.SequenceEqual(part.Order()), "each part is sorted ascending");
        }

        var all = parts.SelectMany(p => p).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, rowCount), all);
    }
}
