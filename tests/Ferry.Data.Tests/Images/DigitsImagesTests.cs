using Ferry.Data.Images;
using Ferry.Data.Tables;
using Ferry.Data.Tests.Parquet;

namespace Ferry.Data.Tests.Images;

public class DigitsImagesTests
{
    [Fact]
    public void SmallTable_BecomesScaledGrayImages()
    {
        var table = DigitsTable(
            rows: 2,
            pixel: (row, p) => row == 0 ? (p == 0 ? 16 : p == 63 ? 8 : 0) : p % 17,
            labels: [3, 7]);

        var data = DigitsImages.FromTable(table);

        Assert.Equal(2, data.Count);
        Assert.Equal(["3", "7"], data.Classes);
        var first = data.Items[0];
        Assert.Equal(("row-1", "3", 8, 8, 1), (first.Id, first.Label, first.Width, first.Height, first.Channels));
        Assert.Equal(255, first.GetSample(0, 0));
        Assert.Equal(128, first.GetSample(7, 7)); // 8/16 of 255 = 127.5, rounded away from zero
        Assert.Equal(0, first.GetSample(1, 0));

        // p9 is row 1, column 1 (row-major); 9/16 of 255 = 143.4.
        Assert.Equal(143, data.Items[1].GetSample(1, 1));
        Assert.Equal("row-2", data.Items[1].Id);
    }

    [Fact]
    public void SampleDigitsCsv_Gives1797ImagesIn10Classes()
    {
        var data = DigitsImages.FromTable(ParquetTestData.ReadSampleCsv("digits.csv"));

        // Figures from samples/README.md.
        Assert.Equal(1797, data.Count);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], data.Classes);
        Assert.Equal(new ImageSizeCount(8, 8, 1, 1797), Assert.Single(data.Sizes));
        Assert.Equal(183, data.ClassCounts.Single(c => c.Value == "3").Count);
        Assert.Equal(174, data.ClassCounts.Single(c => c.Value == "8").Count);
        Assert.Equal("row-1797", data.Items[^1].Id);
    }

    [Fact]
    public void MissingPixelColumns_AreNamed()
    {
        var table = DigitsTable(1, (_, _) => 0, [1]);
        var pruned = new Table(table.Columns.Where(c => c.Name is not ("p5" or "p63")));

        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(pruned));

        Assert.Equal("DIGITS_COLUMNS_MISSING", ex.Code);
        Assert.Contains("p5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("p63", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingLabelColumn_IsNamed()
    {
        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(DigitsTable(1, (_, _) => 0, [1]), label: "digit"));

        Assert.Equal("DIGITS_COLUMNS_MISSING", ex.Code);
        Assert.Contains("'digit'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextPixelColumn_IsRefused()
    {
        var table = DigitsTable(1, (_, _) => 0, [1]);
        var columns = table.Columns.Select(c => c.Name == "p10" ? StringColumn.FromValues("p10", ["dark"]) : c);

        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(new Table(columns)));

        Assert.Equal("DIGITS_COLUMN_NOT_NUMERIC", ex.Code);
        Assert.Contains("'p10'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void OutOfRangeOrMissingPixel_IsRefused(double bad)
    {
        var table = DigitsTable(2, (row, p) => row == 1 && p == 20 ? bad : 1, [1, 2]);

        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(table));

        Assert.Equal("DIGITS_VALUE_OUT_OF_RANGE", ex.Code);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'p20'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PixelColumnBeyond63_IsRefused()
    {
        var table = DigitsTable(1, (_, _) => 0, [1]);

        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(new Table([.. table.Columns, new NumericColumn("p64", [0])])));

        Assert.Equal("DIGITS_EXTRA_PIXEL_COLUMN", ex.Code);
    }

    [Fact]
    public void MissingLabel_IsRefused()
    {
        var table = DigitsTable(2, (_, _) => 0, [1, double.NaN]);

        var ex = Assert.Throws<FerryException>(() => DigitsImages.FromTable(table));

        Assert.Equal("DIGITS_LABEL_MISSING", ex.Code);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }

    private static Table DigitsTable(int rows, Func<int, int, double> pixel, double[] labels)
    {
        var columns = new List<Column>();
        for (var p = 0; p < 64; p++)
        {
            columns.Add(new NumericColumn($"p{p}", Enumerable.Range(0, rows).Select(r => pixel(r, p)).ToArray()));
        }

        columns.Add(new NumericColumn("label", labels));
        return new Table(columns);
    }
}
