using Ferry.Data.Loading;
using Ferry.Data.Loading.Parquet;
using Ferry.Data.Tables;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ferry.Data.Tests.Parquet;

public class ParquetRoundTripTests
{
    [Theory]
    [InlineData("iris.csv")]
    [InlineData("wine.csv")]
    [InlineData("breast_cancer.csv")]
    [InlineData("digits.csv")]
    [InlineData("diabetes.csv")]
    [InlineData("penguins.csv")]
    public async Task Sample_SurvivesWriteAndRead(string sample)
    {
        var original = ParquetTestData.ReadSampleCsv(sample);
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "out.parquet");

        await ParquetTableWriter.WriteAsync(original, path, CancellationToken.None);
        var result = await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), null, CancellationToken.None);

        Assert.Equal("parquet (1 row group)", result.Format);
        Assert.Equal(path, result.Source);
        Assert.Empty(result.BadRows);
        AssertSameTable(original, result.Table);
    }

    [Fact]
    public async Task Penguins_KeepsMissingValuesAndCategories()
    {
        var original = ParquetTestData.ReadSampleCsv("penguins.csv");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "penguins.parquet");
        await ParquetTableWriter.WriteAsync(original, path, CancellationToken.None);

        var table = (await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), null, CancellationToken.None)).Table;

        // Counts from samples/README.md, not from the code under test.
        Assert.Equal(344, table.RowCount);
        Assert.Equal(11, table["sex"].MissingCount);
        Assert.Equal(2, table["bill_length_mm"].MissingCount);
        Assert.IsType<StringColumn>(table["island"]);
        Assert.IsType<NumericColumn>(table["body_mass_g"]);
        Assert.Equal(["Biscoe", "Dream", "Torgersen"], ((StringColumn)table["island"]).Dictionary.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ManyRowGroups_AreAllRead_InOrder_WithProgress()
    {
        var original = ParquetTestData.ReadSampleCsv("digits.csv");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "digits.parquet");
        await ParquetTableWriter.WriteAsync(original, path, rowGroupSize: 100, CancellationToken.None);

        var reports = new List<LoadProgress>();
        var result = await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), new SyncProgress(reports), CancellationToken.None);

        Assert.Equal("parquet (18 row groups)", result.Format);
        AssertSameTable(original, result.Table);
        Assert.Equal(18, reports.Count);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.BytesRead <= p.Second.BytesRead));
        Assert.Equal(new FileInfo(path).Length, reports[^1].BytesRead);
        Assert.Equal(new FileInfo(path).Length, reports[^1].TotalBytes);
    }

    [Fact]
    public async Task EmptyTable_RoundTripsColumnsWithNoRows()
    {
        var original = new Table([new NumericColumn("x", []), StringColumn.FromValues("s", [])]);
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "empty.parquet");
        await ParquetTableWriter.WriteAsync(original, path, CancellationToken.None);

        var result = await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), null, CancellationToken.None);

        Assert.Equal(0, result.Table.RowCount);
        Assert.Equal(["x", "s"], result.Table.Columns.Select(c => c.Name));
        Assert.IsType<NumericColumn>(result.Table["x"]);
        Assert.IsType<StringColumn>(result.Table["s"]);
    }

    [Fact]
    public async Task Write_ReplacesExistingFile_AndLeavesNoTempFiles()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-pq").FullName;
        var path = Path.Combine(folder, "t.parquet");
        await File.WriteAllTextAsync(path, "old");

        await ParquetTableWriter.WriteAsync(new Table([new NumericColumn("x", [1, 2])]), path, CancellationToken.None);

        Assert.Equal(["t.parquet"], Directory.GetFiles(folder).Select(Path.GetFileName));
        var table = (await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), null, CancellationToken.None)).Table;
        Assert.Equal([1d, 2d], ((NumericColumn)table["x"]).Values.ToArray());
    }

    [Fact]
    public async Task CancelledWrite_LeavesNoFile()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-pq").FullName;
        var path = Path.Combine(folder, "t.parquet");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ParquetTableWriter.WriteAsync(new Table([new NumericColumn("x", [1, 2])]), path, cts.Token));

        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(RandomTables)])]
    public async Task<bool> RandomTable_SurvivesWriteAndRead(Table original, PositiveInt rowGroupSize)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "random.parquet");
        await ParquetTableWriter.WriteAsync(original, path, rowGroupSize.Get, CancellationToken.None);
        var read = (await ParquetTableReader.LoadAsync(path, new TableLoadOptions(), null, CancellationToken.None)).Table;
        AssertSameTable(original, read);
        return true;
    }

    internal static void AssertSameTable(Table expected, Table actual)
    {
        Assert.Equal(expected.Columns.Select(c => c.Name), actual.Columns.Select(c => c.Name));
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (var c = 0; c < expected.ColumnCount; c++)
        {
            var e = expected.Columns[c];
            var a = actual.Columns[c];
            Assert.Equal(e.GetType(), a.GetType());
            Assert.Equal(e.MissingCount, a.MissingCount);
            if (e is NumericColumn en)
            {
                // Bit-for-bit, so -0.0, infinities and subnormals must survive too.
                var an = (NumericColumn)a;
                for (var r = 0; r < en.Length; r++)
                {
                    Assert.True(
                        double.IsNaN(en[r]) ? double.IsNaN(an[r]) : BitConverter.DoubleToInt64Bits(en[r]) == BitConverter.DoubleToInt64Bits(an[r]),
                        $"column '{e.Name}' row {r}: expected {en[r]:R}, got {an[r]:R}");
                }
            }
            else
            {
                for (var r = 0; r < e.Length; r++)
                {
                    Assert.Equal(e.GetText(r), a.GetText(r));
                }
            }
        }
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    internal sealed class SyncProgress(List<LoadProgress> reports) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => reports.Add(value);
    }
}

/// <summary>Tables of 1-5 numeric or text columns with 0-40 rows, missing values, odd numbers and non-ASCII text.</summary>
public static class RandomTables
{
    private static readonly double[] OddNumbers =
        [0d, -0d, 1d, -1.5, double.MaxValue, double.MinValue, double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, 1e-300, 0.1 + 0.2];

    private static readonly string[] OddTexts = ["", " ", "a,b", "\"quoted\"", "line\nbreak", "héllo", "日本語", "😀 emoji", "null", "NaN", "true"];

    public static Arbitrary<Table> Tables() => TableGen.ToArbitrary();

    private static Gen<Table> TableGen =>
        from rows in Gen.Choose(0, 40)
        from columnCount in Gen.Choose(1, 5)
        from columns in Gen.ArrayOf(ColumnGen(rows), columnCount)
        select new Table(columns.Select((c, i) => c.Rename($"c{i} {c.Name}")));

    private static Gen<Column> ColumnGen(int rows) =>
        from numeric in Gen.Elements(true, false)
        from name in Gen.Elements("x", "Feature A", "naïve", "with.dot", "日付")
        from column in numeric ? NumericGen(name, rows) : TextGen(name, rows)
        select column;

    private static Gen<Column> NumericGen(string name, int rows) =>
        Gen.ArrayOf(
                Gen.Frequency(
                    (5, ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => f.Get)),
                    (2, Gen.Elements(OddNumbers)),
                    (1, Gen.Constant(double.NaN))),
                rows)
            .Select(values => (Column)new NumericColumn(name, values));

    private static Gen<Column> TextGen(string name, int rows) =>
        Gen.ArrayOf(
                Gen.Frequency(
                    (4, Gen.Elements("red", "green", "blue")),
                    (3, Gen.Elements(OddTexts)),
                    (2, Gen.ArrayOf(Gen.Choose(32, 0x2FF).Select(i => (char)i)).Select(cs => new string(cs))),
                    (1, Gen.Constant<string?>(null).Select(_ => (string)null!))),
                rows)
            .Select(values => (Column)StringColumn.FromValues(name, values));
}
