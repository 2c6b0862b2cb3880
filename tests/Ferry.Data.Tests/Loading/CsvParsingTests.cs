using System.Text;
using Ferry.Data.Loading;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvParsingTests
{
    [Fact]
    public async Task Quoted_fields_keep_delimiters_quotes_and_line_breaks()
    {
        var content = "id,text\n1,\"a, b\"\n2,\"she said \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n";

        var result = await CsvLoad.TextAsync(content);

        Assert.Equal(new string?[] { "a, b", "she said \"hi\"", "two\nlines", "plain" }, result.Texts("text"));
    }

    [Fact]
    public async Task Bad_rows_after_multiline_values_name_their_physical_line()
    {
        var content = "id,text\n1,\"x\ny\nz\"\n2\n3,ok\n";

        var result = await CsvLoad.TextAsync(content);

        Assert.Equal(5, Assert.Single(result.BadRows).Line);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Every_line_end_style_reads_the_same(string end)
    {
        var content = string.Join(end, "a,b", "1,x", "2", "3,\"multi" + end + "line\"", "4,z") + end;

        var result = await CsvLoad.TextAsync(content);

        Assert.Equal(new string?[] { "1", "3", "4" }, result.Texts("a"));
        Assert.Equal("multi" + end + "line", result.Table["b"].GetText(1));
        Assert.Equal(3, Assert.Single(result.BadRows).Line);
    }

    [Fact]
    public async Task Unquoted_values_are_trimmed_and_quoted_ones_are_not()
    {
        var result = await CsvLoad.TextAsync("a , b\n  x  ,\" y \"\n z ,  \"w\"  \n");

        Assert.Equal(["a", "b"], result.Table.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { "x", "z" }, result.Texts("a"));
        Assert.Equal(new string?[] { " y ", "w" }, result.Texts("b"));
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_not_part_of_the_first_name()
    {
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\n1,é\n")).ToArray();

        var result = await CsvLoad.BytesAsync(bytes);

        Assert.Equal("id", result.Table.Columns[0].Name);
        Assert.Equal("é", result.Table["name"].GetText(0));
        Assert.Equal("csv (delimiter ',', header, UTF-8 with BOM)", result.Format);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public async Task Utf16_files_with_a_byte_order_mark_are_read(string name)
    {
        var encoding = Encoding.GetEncoding(name);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("id,name\n1,日本\n2,x\n")).ToArray();

        var result = await CsvLoad.BytesAsync(bytes);

        Assert.Equal("日本", result.Table["name"].GetText(0));
        Assert.Equal(2, result.Table.RowCount);
    }

    [Fact]
    public async Task A_given_encoding_wins()
    {
        var bytes = Encoding.Latin1.GetBytes("id,name\n1,\u00e9\n");

        var result = await CsvLoad.BytesAsync(bytes, new TableLoadOptions { Encoding = Encoding.Latin1 });

        Assert.Equal("é", result.Table["name"].GetText(0));
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task Missing_tokens_are_missing_but_None_is_a_value()
    {
        var result = await CsvLoad.TextAsync("x,s\n1,None\nNA,na\n?,?\nnull,NULL\n N/A ,n/a\n,\nNaN,nan\n7,\"\"\n");

        var x = Assert.IsType<NumericColumn>(result.Table["x"]);
        Assert.Equal(6, x.MissingCount);
        var s = Assert.IsType<StringColumn>(result.Table["s"]);
        Assert.Equal("None", s[0]);
        Assert.Equal(7, s.MissingCount);
    }

    [Fact]
    public async Task Numbers_accept_signs_exponents_spaces_and_infinities()
    {
        var result = await CsvLoad.TextAsync("v\n+1.5\n-2e3\n 4.25E-2 \ninf\n-inf\nInfinity\n-Infinity\n.5\n");

        var v = Assert.IsType<NumericColumn>(result.Table["v"]);
        Assert.Equal([1.5, -2000, 0.0425, double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity, 0.5], v.Values.ToArray());
    }

    [Fact]
    public async Task A_text_column_keeps_number_spellings_as_written()
    {
        var result = await CsvLoad.TextAsync("code,n\n007,1\n1.0,2\n12,3\nA-1,4\n1e3,5\n");

        var code = Assert.IsType<StringColumn>(result.Table["code"]);
        Assert.Equal(new string?[] { "007", "1.0", "12", "A-1", "1e3" }, result.Texts("code"));
        Assert.Equal(5, code.Dictionary.Count);
    }

    [Fact]
    public async Task Number_spellings_survive_a_late_switch_to_text()
    {
        var content = new StringBuilder("zip,n\n");
        for (var i = 0; i < 5000; i++)
        {
            content.Append(i % 7 == 0 ? $"0{i}" : $"{i}").Append(",1\n");
        }

        for (var i = 0; i < 100; i++)
        {
            content.Append("K1A-").Append(i).Append(",1\n");
        }

        var result = await CsvLoad.TextAsync(content.ToString());

        var zip = Assert.IsType<StringColumn>(result.Table["zip"]);
        Assert.Equal("00", zip[0]);
        Assert.Equal("1", zip[1]);
        Assert.Equal("07", zip[7]);
        Assert.Equal("K1A-0", zip[5000]);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task Beyond_the_spelling_cap_early_numbers_are_respelled_with_a_note()
    {
        var content = new StringBuilder("id\n");
        for (var i = 0; i < 70_000; i++)
        {
            content.Append('0').Append(i).Append('\n');
        }

        content.Append("x\n".Repeat(1000));

        var result = await CsvLoad.TextAsync(content.ToString());

        var id = Assert.IsType<StringColumn>(result.Table["id"]);
        Assert.Equal("5", id[5]); // was "05": the spelling could not be kept
        Assert.Equal("x", id[70_000]);
        Assert.Contains(result.Notes, n => n.Contains("column 'id' holds text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_overwhelmingly_numeric_column_stays_numeric_and_drops_the_odd_rows()
    {
        var content = new StringBuilder("x,y\n");
        for (var i = 0; i < 1000; i++)
        {
            content.Append(i == 500 ? "abc" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(i % 3).Append('\n');
        }

        var result = await CsvLoad.TextAsync(content.ToString());

        Assert.IsType<NumericColumn>(result.Table["x"]);
        Assert.Equal(999, result.Table.RowCount);
        var bad = Assert.Single(result.BadRows);
        Assert.Equal(502, bad.Line);
        Assert.Equal("x", bad.Column);
        Assert.Equal("value 'abc' is not a number in numeric column 'x'", bad.Reason);
        Assert.Equal("501", result.Table["x"].GetText(500));
    }

    [Fact]
    public async Task Strict_mode_stops_at_an_overwhelmingly_numeric_columns_odd_value()
    {
        var content = "x\n" + string.Concat(Enumerable.Range(0, 300).Select(i => i == 250 ? "oops\n" : $"{i}\n"));

        var error = await CsvLoad.FailsAsync(content, new TableLoadOptions { Strict = true });

        Assert.Equal("CSV_BAD_ROW", error.Code);
        Assert.Equal(new SourceLocation("test.csv", 252, "x"), error.Location);
    }

    [Fact]
    public async Task A_few_numbers_with_some_text_make_a_text_column()
    {
        var content = "x\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i}\n")) + "abc\n";

        var result = await CsvLoad.TextAsync(content);

        Assert.IsType<StringColumn>(result.Table["x"]);
        Assert.Equal(0, result.BadRowCount);
    }

    [Fact]
    public async Task Strict_mode_stops_at_a_ragged_row()
    {
        var error = await CsvLoad.FailsAsync("a,b\n1,2\n3\n", new TableLoadOptions { Strict = true });

        Assert.Equal("CSV_BAD_ROW", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(3, error.Location?.Line);
        Assert.Contains("has 1 fields, expected 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_is_reported_and_reaches_the_file_size()
    {
        using var folder = new CsvTempFolder();
        var content = new StringBuilder("a,b\n");
        while (content.Length < 3_500_000)
        {
            content.Append("12345,abcdef\n");
        }

        var path = folder.Write("big.csv", content.ToString());
        var reports = new List<LoadProgress>();

        await Ferry.Data.Loading.Csv.CsvTableReader.LoadAsync(path, new TableLoadOptions(), new SyncProgress(reports.Add), CancellationToken.None);

        Assert.True(reports.Count >= 4, $"{reports.Count} reports");
        Assert.All(reports, r => Assert.Equal(new FileInfo(path).Length, r.TotalBytes));
        Assert.Equal(new FileInfo(path).Length, reports[^1].BytesRead);
    }

    [Fact]
    public async Task Cancellation_stops_the_load()
    {
        using var folder = new CsvTempFolder();
        var path = folder.Write("c.csv", "a,b\n" + "1,2\n".Repeat(500_000));
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Ferry.Data.Loading.Csv.CsvTableReader.LoadAsync(path, new TableLoadOptions(), progress, cancel.Token));
    }

    [Fact]
    public async Task A_stream_of_unknown_length_loads_the_same_as_the_file()
    {
        // No length means no row estimate: the column buffers start small and grow many times.
        var content = new StringBuilder("id,name,score\n");
        for (var i = 0; i < 50_000; i++)
        {
            content.Append(i).Append(",n").Append(i % 13).Append(',').Append(i % 7 == 0 ? string.Empty : (i / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(content.ToString());
        using var stream = new ForwardOnlyStream(bytes);

        var result = await Ferry.Data.Loading.Csv.CsvTableReader.LoadAsync(stream, "pipe", new TableLoadOptions(), null, CancellationToken.None);

        Assert.Equal(50_000, result.Table.RowCount);
        Assert.Equal("49999", result.Table["id"].GetText(49_999));
        Assert.Equal("n1", result.Table["name"].GetText(49_999)); // 49999 % 13 == 1
        Assert.Null(result.Table["score"].GetText(49_994));
        Assert.Equal("6249.875", result.Table["score"].GetText(49_999));
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    public async Task A_delimiter_that_cannot_work_is_a_usage_error(char delimiter)
    {
        var error = await CsvLoad.FailsAsync("a,b\n1,2\n", new TableLoadOptions { Delimiter = delimiter });

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("CSV_BAD_DELIMITER", error.Code);
    }

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }

    private sealed class SyncProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value);
    }
}

internal static class CsvTestStrings
{
    public static string Repeat(this string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
