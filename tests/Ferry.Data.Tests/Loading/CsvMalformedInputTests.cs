using System.Diagnostics;
using System.Text;
using Ferry.Data.Loading;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvMalformedInputTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n\n\r\n")]
    [InlineData("   \n  \n")]
    public async Task A_file_without_rows_is_empty(string content)
    {
        var error = await CsvLoad.FailsAsync(content);

        Assert.Equal("CSV_EMPTY", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public async Task A_file_holding_only_a_byte_order_mark_is_empty()
    {
        using var folder = new CsvTempFolder();
        var path = folder.WriteBytes("bom.csv", [0xEF, 0xBB, 0xBF]);

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.FileAsync(path));

        Assert.Equal("CSV_EMPTY", error.Code);
        Assert.Equal(path, error.Location?.File);
    }

    [Fact]
    public async Task A_header_without_data_has_no_rows()
    {
        var error = await CsvLoad.FailsAsync("a,b,c\n");

        Assert.Equal("CSV_NO_ROWS", error.Code);
        Assert.Equal(1, error.Location?.Line);
    }

    [Fact]
    public async Task A_file_whose_rows_are_all_bad_has_no_rows_and_says_why()
    {
        var error = await CsvLoad.FailsAsync("a,b,c\n1,2\n3,4\n", new TableLoadOptions { HasHeader = true });

        Assert.Equal("CSV_NO_ROWS", error.Code);
        Assert.Contains("has 2 fields, expected 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Location?.Line);
    }

    [Fact]
    public async Task Binary_content_is_refused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.BytesAsync(png));

        Assert.Equal("CSV_BINARY", error.Code);
        Assert.Contains("looks like a binary file, not CSV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unterminated_quote_names_the_line_it_was_opened_on()
    {
        var error = await CsvLoad.FailsAsync("id,text\n1,ok\n2,\"never closed\n3,more\n4,still inside\n");

        Assert.Equal("CSV_UNTERMINATED_QUOTE", error.Code);
        Assert.Equal(3, error.Location?.Line);
        Assert.Equal("test.csv", error.Location?.File);
    }

    [Fact]
    public async Task A_field_over_the_length_limit_is_a_bad_row()
    {
        var content = $"id,text\n1,short\n2,{new string('x', 500)}\n3,fine\n";

        var result = await CsvLoad.TextAsync(content, new TableLoadOptions { MaxFieldLength = 100 });

        Assert.Equal(2, result.Table.RowCount);
        var bad = Assert.Single(result.BadRows);
        Assert.Equal(3, bad.Line);
        Assert.Equal("text", bad.Column);
        Assert.Contains("longer than 100 characters", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_field_over_the_length_limit_is_an_error()
    {
        var error = await CsvLoad.FailsAsync($"id,{new string('h', 500)}\n1,2\n", new TableLoadOptions { MaxFieldLength = 100, HasHeader = true });

        Assert.Equal("CSV_FIELD_TOO_LONG", error.Code);
        Assert.Equal(1, error.Location?.Line);
    }

    [Fact]
    public async Task More_columns_than_allowed_is_an_error()
    {
        var error = await CsvLoad.FailsAsync("a,b,c,d,e,f\n1,2,3,4,5,6\n", new TableLoadOptions { MaxColumns = 5 });

        Assert.Equal("CSV_TOO_MANY_COLUMNS", error.Code);
        Assert.Contains("6 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ten_megabyte_line_of_one_value_fails_fast()
    {
        using var folder = new CsvTempFolder();
        var path = folder.Write("line.csv", new string('a', 10_000_000));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.FileAsync(path));

        Assert.Equal("CSV_FIELD_TOO_LONG", error.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_ten_megabyte_line_of_many_values_fails_fast()
    {
        using var folder = new CsvTempFolder();
        var line = new StringBuilder();
        for (var i = 0; line.Length < 10_000_000; i++)
        {
            line.Append(i % 10).Append(',');
        }

        var path = folder.Write("wide.csv", line.ToString());
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.FileAsync(path));

        Assert.Equal("CSV_TOO_MANY_COLUMNS", error.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_stray_quote_swallowing_a_large_file_fails_fast_at_its_line()
    {
        using var folder = new CsvTempFolder();
        var content = new StringBuilder("id,name\n1,ok\n2,\"oops\n");
        while (content.Length < 5_000_000)
        {
            content.Append("3,abc\n");
        }

        var path = folder.Write("stray.csv", content.ToString());
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.FileAsync(path));

        Assert.Equal("CSV_UNTERMINATED_QUOTE", error.Code);
        Assert.Equal(3, error.Location?.Line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Latin1_bytes_decode_with_a_note()
    {
        using var folder = new CsvTempFolder();
        var path = folder.WriteBytes("latin1.csv", Encoding.Latin1.GetBytes("name,city\nRené,Besançon\nZoë,Orléans\n"));

        var result = await CsvLoad.FileAsync(path);

        Assert.Equal(new string?[] { "René", "Zoë" }, result.Texts("name"));
        Assert.Equal("Orléans", result.Table["city"].GetText(1));
        Assert.Contains(result.Notes, n => n.Contains("not valid UTF-8", StringComparison.Ordinal) && n.Contains("Latin-1", StringComparison.Ordinal));
        Assert.Contains("Latin-1", result.Format, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_after_the_first_block_becomes_counted_replacement_characters()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("id,text\n"));
        for (var i = 0; bytes.Count < 200_000; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes($"{i},café\n"));
        }

        bytes.AddRange(Encoding.UTF8.GetBytes("999999,bad"));
        bytes.AddRange([0xFF, 0xC3]);
        bytes.AddRange(Encoding.UTF8.GetBytes("\n"));

        var result = await CsvLoad.BytesAsync([.. bytes]);

        Assert.Equal("bad\uFFFD\uFFFD", result.Table["text"].GetText(result.Table.RowCount - 1));
        Assert.Contains(result.Notes, n => n.StartsWith("2 invalid UTF-8 byte sequence", StringComparison.Ordinal));
        Assert.Equal("café", result.Table["text"].GetText(0));
    }

    [Fact]
    public async Task A_character_split_by_the_detection_block_is_still_utf8()
    {
        // "é" is two bytes; place it across the 64 KiB boundary the encoding is detected from.
        var prefix = new StringBuilder("id,text\n");
        while (prefix.Length < 65_535 - 20)
        {
            prefix.Append("1,abc\n");
        }

        prefix.Append("2,").Append('x', 65_535 - prefix.Length).Append("é\n3,end\n");
        var bytes = Encoding.UTF8.GetBytes(prefix.ToString());
        Assert.Equal(0xC3, bytes[65_535]);

        var result = await CsvLoad.BytesAsync(bytes);

        Assert.EndsWith("é", result.Table["text"].GetText(result.Table.RowCount - 2), StringComparison.Ordinal);
        Assert.Equal("csv (delimiter ',', header, UTF-8)", result.Format);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task A_wide_file_loads()
    {
        var content = new StringBuilder(string.Join(',', Enumerable.Range(0, 3000).Select(i => $"f{i}"))).Append('\n');
        for (var row = 0; row < 200; row++)
        {
            content.AppendJoin(',', Enumerable.Range(0, 3000).Select(i => i == 0 ? $"t{row}" : $"{row % 9}.0")).Append('\n');
        }

        var result = await CsvLoad.TextAsync(content.ToString());

        Assert.Equal(3000, result.Table.ColumnCount);
        Assert.Equal(200, result.Table.RowCount);
        Assert.IsType<StringColumn>(result.Table["f0"]);
        Assert.Equal("8", result.Table["f2999"].GetText(8));
    }

    [Fact]
    public async Task Ragged_rows_are_skipped_and_counted_with_their_lines()
    {
        var result = await CsvLoad.TextAsync("a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n");

        Assert.Equal(3, result.Table.RowCount);
        Assert.Equal(2, result.BadRowCount);
        Assert.Equal([3L, 5L], result.BadRows.Select(b => b.Line));
        Assert.Equal("has 2 fields, expected 3", result.BadRows[0].Reason);
        Assert.Equal("has 4 fields, expected 3", result.BadRows[1].Reason);
        Assert.Equal(new string?[] { "1", "6", "13" }, result.Texts("a"));
    }

    [Fact]
    public async Task Bad_row_details_are_capped_but_all_are_counted()
    {
        var content = "a,b\n" + string.Concat(Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? $"{i},{i}\n" : $"{i}\n"));

        var result = await CsvLoad.TextAsync(content, new TableLoadOptions { MaxBadRowDetails = 3 });

        Assert.Equal(25, result.BadRowCount);
        Assert.Equal([3L, 5L, 7L], result.BadRows.Select(b => b.Line));
        Assert.Equal(25, result.Table.RowCount);
    }

    [Fact]
    public async Task A_missing_file_is_not_found()
    {
        using var folder = new CsvTempFolder();

        var error = await Assert.ThrowsAsync<FerryException>(() => CsvLoad.FileAsync(folder.File("nope.csv")));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("FILE_NOT_FOUND", error.Code);
    }

    [Fact]
    public async Task A_duplicate_header_names_both_columns()
    {
        var error = await CsvLoad.FailsAsync("id,price,name,price\n1,2,a,3\n");

        Assert.Equal("CSV_DUPLICATE_HEADER", error.Code);
        Assert.Contains("columns 2 and 4", error.Message, StringComparison.Ordinal);
        Assert.Equal("price", error.Location?.Column);
    }

    [Fact]
    public async Task Random_junk_never_escapes_as_anything_but_a_ferry_error()
    {
        // Inputs built from the characters that steer the tokenizer, plus a few ordinary ones.
        var random = new Random(20240601);
        const string alphabet = ",;|\t\"\r\n aZ1.-é";
        for (var round = 0; round < 300; round++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            try
            {
                var result = await CsvLoad.TextAsync(text, new TableLoadOptions { MaxFieldLength = 50 });
                Assert.True(result.Table.RowCount > 0);
                Assert.All(result.Table.Columns, c => Assert.Equal(result.Table.RowCount, c.Length));
            }
            catch (FerryException e)
            {
                Assert.Equal(ErrorKind.InvalidInput, e.Kind);
                Assert.StartsWith("CSV_", e.Code, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_value_in_a_numeric_column_that_is_too_long_leaves_the_column_numeric()
    {
        var content = "x,y\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},{i}\n")) + $"10,{new string('9', 80)}\n";

        var result = await CsvLoad.TextAsync(content, new TableLoadOptions { MaxFieldLength = 40 });

        Assert.IsType<NumericColumn>(result.Table["y"]);
        Assert.Equal(1, result.BadRowCount);
        Assert.Equal(12, result.BadRows[0].Line);
    }
}
