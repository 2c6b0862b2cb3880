using Ferry.Data.Loading;
using Ferry.Data.Reports;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Data.Validation;

namespace Ferry.Data.Tests.Reports;

/// <summary>
/// Builds inspect reports by hand for the writer tests: the real profiler is a separate area, so profiles here
/// come from a few direct computations over a constructed table.
/// </summary>
internal static class ReportTestData
{
    public const string ScriptColumn = "<script>alert(1)</script>";
    public const string EvilColumn = "../evil";
    public const string UnicodeColumn = "größe/Ω 温度";

    public static ColumnProfile Profile(Column column, ColumnKind kind)
    {
        var present = Enumerable.Range(0, column.Length).Where(r => !column.IsMissing(r)).ToArray();
        var texts = present.Select(r => column.GetText(r)!).ToArray();
        var top = texts.GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => new ValueCount(g.Key, g.Count()))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal)
            .Take(20).ToList();
        NumericSummary? numeric = null;
        if (column is NumericColumn numbers && present.Length > 0)
        {
            var values = present.Select(r => numbers[r]).Order().ToArray();
            var (min, max) = (values[0], values[^1]);
            var mean = values.Average();
            var sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
            const int bins = 10;
            var edges = Enumerable.Range(0, bins + 1).Select(i => min + ((max - min) * i / bins)).ToArray();
            var counts = new int[bins];
            foreach (var v in values)
            {
                counts[max > min ? Math.Min(bins - 1, (int)((v - min) / (max - min) * bins)) : 0]++;
            }

            double[] quantiles = [.. new[] { 0, 0.05, 0.25, 0.5, 0.75, 0.95, 1 }.Select(q => values[(int)Math.Round(q * (values.Length - 1))])];
            numeric = new NumericSummary(min, max, mean, sd, quantiles, edges, counts);
            top = kind == ColumnKind.Numeric ? [] : top;
        }

        return new ColumnProfile(column.Name, kind, column.Length, column.Length - present.Length, texts.Distinct().Count(), numeric, top);
    }

    /// <summary>A 200-row table whose column names and values try to break file names and HTML.</summary>
    public static InspectReport HostileReport(int badRows = 3)
    {
        var random = new Random(12);
        const int rows = 200;
        var length = Enumerable.Range(0, rows).Select(_ => Math.Round(4 + (random.NextDouble() * 2) + (random.NextDouble() * 2), 1)).ToArray();
        string?[] scriptValues = [.. Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? null : $"<b>v{i % 5}</b>")];
        var evil = Enumerable.Range(0, rows).Select(i => (double)(i % 13)).ToArray();
        string?[] unicode = [.. Enumerable.Range(0, rows).Select(i => $"值 {i % 4} ü")];
        var empty = Enumerable.Repeat(double.NaN, rows).ToArray();
        string?[] labels = [.. Enumerable.Range(0, rows).Select(i => (i % 10) switch { < 6 => "Adelie", < 9 => "Gentoo", _ => "Chinstrap" })];

        var table = new Table([
            new NumericColumn("sepal_length", length),
            StringColumn.FromValues(ScriptColumn, scriptValues),
            new NumericColumn(EvilColumn, evil),
            StringColumn.FromValues(UnicodeColumn, unicode),
            new NumericColumn("all_missing", empty),
            StringColumn.FromValues("label", labels),
        ]);
        ColumnKind[] kinds = [ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric, ColumnKind.Categorical];
        var profiles = table.Columns.Select((c, i) => Profile(c, kinds[i])).ToList();
        var schema = new DatasetSchema(
            [.. profiles.Select(p => new ColumnSchema(p.Name, p.Kind, p.Distinct, p.Missing, $"reason for <{p.Name}>"))],
            "label",
            TaskKind.Multiclass,
            "label 'label' has 3 distinct text values",
            ["Adelie", "Chinstrap", "Gentoo"]);
        DataWarning[] warnings =
        [
            new("ALL_MISSING", WarningSeverity.Warning, "Column 'all_missing' has no values.", "Drop the column 'all_missing'.", ["all_missing"]),
            new("LEAK", WarningSeverity.Error, $"Column '{ScriptColumn}' predicts the label <img src=x onerror=alert(2)>.", "Remove it & retrain.", [ScriptColumn]),
        ];
        var bad = Enumerable.Range(0, Math.Min(badRows, 1000))
            .Select(i => new BadRow(10 + i, "sepal_length", $"<x{i}>", $"'<x{i}>' is not a number"))
            .ToList();
        return new InspectReport(
            "hostile <dataset>", "/data/hostile & co.csv", "v3", "csv (delimiter ',', header, UTF-8)", rows, schema, profiles, warnings,
            bad, badRows, ["Delimiter detected as ','."])
        {
            ContentHash = "sha256:" + new string('a', 64),
        };
    }

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the 8-byte signature.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(bytes.Length > 33, $"{path} is too short to be a PNG");
        Assert.Equal(signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (ReadInt32BigEndian(bytes, 16), ReadInt32BigEndian(bytes, 20));
    }

    private static int ReadInt32BigEndian(byte[] bytes, int offset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));
}
