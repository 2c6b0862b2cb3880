using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvDialectDetectionTests
{
    [Theory]
    [InlineData(';', "delimiter ';'")]
    [InlineData('\t', "delimiter tab")]
    [InlineData('|', "delimiter '|'")]
    public async Task Other_delimiters_are_detected_and_noted(char delimiter, string shown)
    {
        var d = delimiter.ToString();
        var content = $"name{d}size{d}note\nalpha{d}1{d}\"x, y\"\nbeta{d}2{d}plain, text\ngamma{d}3{d}z\n";

        var result = await CsvLoad.TextAsync(content);

        Assert.Equal($"csv ({shown}, header, UTF-8)", result.Format);
        Assert.Equal(["name", "size", "note"], result.Table.Columns.Select(c => c.Name));
        Assert.Equal("plain, text", result.Table["note"].GetText(1));
        Assert.Contains(result.Notes, n => n.Contains("detected delimiter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delimiter_inside_quotes_does_not_mislead_detection()
    {
        var content = "a;b\n\"1,2,3\";x\n\"4,5,6\";y\n\"7,8,9\";z\n";

        var result = await CsvLoad.TextAsync(content);

        Assert.Contains("delimiter ';'", result.Format, StringComparison.Ordinal);
        Assert.Equal(new string?[] { "1,2,3", "4,5,6", "7,8,9" }, result.Texts("a"));
    }

    [Fact]
    public async Task Numbers_only_mean_no_header()
    {
        var result = await CsvLoad.TextAsync("1,2.5,3\n4,5.5,6\n7,8.5,9\n");

        Assert.Equal(["column_1", "column_2", "column_3"], result.Table.Columns.Select(c => c.Name));
        Assert.Equal(3, result.Table.RowCount);
        Assert.Contains("no header", result.Format, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("no header row detected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_rows_whose_first_values_repeat_below_are_data()
    {
        var result = await CsvLoad.TextAsync("red,small\nblue,large\nred,small\n");

        Assert.Equal(3, result.Table.RowCount);
        Assert.Equal("column_1", result.Table.Columns[0].Name);
    }

    [Fact]
    public async Task Distinct_text_over_text_is_a_header()
    {
        var result = await CsvLoad.TextAsync("city,country\nParis,France\nLyon,France\n");

        Assert.Equal(["city", "country"], result.Table.Columns.Select(c => c.Name));
        Assert.Equal(2, result.Table.RowCount);
    }

    [Fact]
    public async Task Options_override_detection()
    {
        var content = "1;2\n3;4\n";

        var result = await CsvLoad.TextAsync(content, new TableLoadOptions { Delimiter = ',', HasHeader = true });

        Assert.Equal("1;2", Assert.Single(result.Table.Columns).Name);
        Assert.Equal("3;4", result.Table.Columns[0].GetText(0));
        Assert.DoesNotContain(result.Notes, n => n.Contains("detected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blank_header_name_becomes_column_n_with_a_note()
    {
        var result = await CsvLoad.TextAsync(",a,b\n0,1,x\n1,2,y\n");

        Assert.Equal(["column_1", "a", "b"], result.Table.Columns.Select(c => c.Name));
        Assert.Contains(result.Notes, n => n.Contains("blank name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Semicolon_files_read_decimal_commas()
    {
        var result = await CsvLoad.TextAsync("name;weight\na;1,5\nb;-2,25\nc;3\n");

        var weight = Assert.IsType<NumericColumn>(result.Table["weight"]);
        Assert.Equal([1.5, -2.25, 3], weight.Values.ToArray());
        Assert.Contains(result.Notes, n => n.Contains("decimal comma", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_european_spreadsheet_export_loads()
    {
        // BOM, semicolons, CRLF, everything quoted, decimal commas, an empty cell.
        var text = "\uFEFF\"Name\";\"Preis\";\"Menge\"\r\n\"Äpfel\";\"1,25\";\"3\"\r\n\"Birnen; rot\";\"0,5\";\"\"\r\n\"Kiwi\";\"2\";\"10\"\r\n";

        var result = await CsvLoad.BytesAsync(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal("csv (delimiter ';', header, UTF-8 with BOM)", result.Format);
        Assert.Equal(new string?[] { "Äpfel", "Birnen; rot", "Kiwi" }, result.Texts("Name"));
        Assert.Equal([1.25, 0.5, 2], Assert.IsType<NumericColumn>(result.Table["Preis"]).Values.ToArray());
        Assert.Equal(1, result.Table["Menge"].MissingCount);
    }

    [Fact]
    public async Task A_single_column_file_is_read_as_one_column()
    {
        var result = await CsvLoad.TextAsync("name\nalpha\nbeta\n");

        Assert.Equal("name", Assert.Single(result.Table.Columns).Name);
        Assert.Equal(2, result.Table.RowCount);
    }

    [Theory]
    [InlineData(new[] { "id", "x" }, new[] { "1", "2" }, true)]
    [InlineData(new[] { "1", "2" }, new[] { "3", "4" }, false)]
    [InlineData(new[] { "", "x" }, new[] { "1", "2" }, true)]
    [InlineData(new[] { "NA", "x" }, new[] { "1", "2" }, false)]
    [InlineData(new[] { "a", "b" }, new[] { "c", "d" }, true)]
    [InlineData(new[] { "a", "a" }, new[] { "c", "d" }, false)]
    [InlineData(new[] { "a", "2020" }, new[] { "c", "5" }, false)]
    public void Header_rules(string[] first, string[] second, bool header) =>
        Assert.Equal(header, CsvDialectDetector.LooksLikeHeader([first, second], decimalComma: false));
}
