using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Parquet;

/// <summary>
/// Test-only access to samples/: finds the folder and turns a sample CSV into a Table with a deliberately
/// trivial parser (the samples have no quotes; an empty field is missing; a column is numeric when every
/// present value parses). The real CSV reader is tested elsewhere.
/// </summary>
internal static class ParquetTestData
{
    public static string SamplesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
                {
                    return Path.Combine(dir.FullName, "samples");
                }
            }

            throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Sample(string name) => Path.Combine(SamplesFolder, name);

    public static Table ReadSampleCsv(string name)
    {
        var lines = File.ReadAllLines(Sample(name));
        var header = lines[0].Split(',');
        var cells = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var columns = new List<Column>();
        for (var c = 0; c < header.Length; c++)
        {
            var raw = cells.Select(r => r[c].Length == 0 ? null : r[c]).ToArray();
            var numeric = raw.All(v => v is null || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            columns.Add(numeric
                ? new NumericColumn(header[c], raw.Select(v => v is null ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                : StringColumn.FromValues(header[c], raw));
        }

        return new Table(columns);
    }
}
