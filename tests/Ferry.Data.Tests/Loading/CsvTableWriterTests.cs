using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvTableWriterTests
{
    [Fact]
    public async Task Writes_rfc4180_with_quotes_only_where_needed()
    {
        using var folder = new CsvTempFolder();
        var table = new Table([
            new NumericColumn("x", [1.5, double.NaN, -0.0, 1e21, double.PositiveInfinity]),
            StringColumn.FromValues("note, text", ["plain", "a,b", "say \"hi\"", null, " padded"]),
        ]);
        var path = folder.File("out.csv");

        await CsvTableWriter.WriteAsync(table, path, CancellationToken.None);

        var expected = "x,\"note, text\"\r\n1.5,plain\r\n,\"a,b\"\r\n-0,\"say \"\"hi\"\"\"\r\n1E+21,\r\nInfinity,\" padded\"\r\n";
        Assert.Equal(expected, await File.ReadAllTextAsync(path));
        Assert.Equal((byte)'x', (await File.ReadAllBytesAsync(path))[0]); // no byte-order mark
    }

    [Fact]
    public async Task A_single_column_writes_missing_as_empty_quotes_so_the_row_is_not_blank()
    {
        using var folder = new CsvTempFolder();
        var path = folder.File("one.csv");

        await CsvTableWriter.WriteAsync(new Table([StringColumn.FromValues("name", ["a", null, "b"])]), path, CancellationToken.None);
        var back = await CsvLoad.FileAsync(path);

        Assert.Equal(3, back.Table.RowCount);
        Assert.Null(back.Table["name"].GetText(1));
    }

    [Fact]
    public async Task Replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var folder = new CsvTempFolder();
        var path = folder.Write("t.csv", "old content");

        await CsvTableWriter.WriteAsync(new Table([new NumericColumn("v", [1, 2])]), path, CancellationToken.None);

        Assert.Equal("v\r\n1\r\n2\r\n", await File.ReadAllTextAsync(path));
        Assert.Equal(["t.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_the_target_untouched()
    {
        using var folder = new CsvTempFolder();
        var path = folder.Write("t.csv", "old content");
        var table = new Table([new NumericColumn("v", [.. Enumerable.Range(0, 100_000).Select(i => (double)i)])]);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CsvTableWriter.WriteAsync(table, path, cancel.Token));

        Assert.Equal("old content", await File.ReadAllTextAsync(path));
        Assert.Equal(["t.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Creates_the_target_folder()
    {
        using var folder = new CsvTempFolder();
        var path = Path.Combine(folder.Path, "a", "b", "t.csv");

        await CsvTableWriter.WriteAsync(new Table([new NumericColumn("v", [3])]), path, CancellationToken.None);

        Assert.True(File.Exists(path));
    }
}
