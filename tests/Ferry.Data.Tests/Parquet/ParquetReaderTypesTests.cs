using Ferry.Data.Loading;
using Ferry.Data.Loading.Parquet;
using Ferry.Data.Tables;
using global::Parquet;
using global::Parquet.Schema;
using global::Parquet.Serialization;

namespace Ferry.Data.Tests.Parquet;

public class ParquetReaderTypesTests
{
    private static readonly TableLoadOptions Options = new();

    [Fact]
    public async Task FileWrittenByParquetNet_ReadsWithTheRightColumnTypes()
    {
        var i32 = new DataField<int>("i32");
        var ni32 = new DataField<int?>("ni32");
        var flag = new DataField<bool>("flag");
        var nflag = new DataField<bool?>("nflag");
        var ts = new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true);
        var day = new DataField<DateOnly>("day");
        var name = new DataField<string>("name", nullable: true);
        var i64 = new DataField<long>("i64");
        var u8 = new DataField<byte>("u8");
        var f32 = new DataField<float>("f32");
        var dec = new DecimalDataField("dec", 10, 2);
        var schema = new ParquetSchema(i32, ni32, flag, nflag, ts, day, name, i64, u8, f32, dec);
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "types.parquet");

        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);

            // Two row groups, so values must be stitched across groups in order.
            using (var g = writer.CreateRowGroup())
            {
                await g.WriteAsync<int>(i32, new[] { 1, -2 });
                await g.WriteAsync<int>(ni32, new int?[] { 7, null });
                await g.WriteAsync<bool>(flag, new[] { true, false });
                await g.WriteAsync<bool>(nflag, new bool?[] { null, true });
                await g.WriteAsync<DateTime>(ts, new DateTime?[] { new DateTime(2024, 3, 5, 14, 30, 15, 250, DateTimeKind.Utc), null });
                await g.WriteAsync<DateOnly>(day, new[] { new DateOnly(2024, 2, 29), new DateOnly(1999, 12, 31) });
                await g.WriteAsync(name, new[] { "ann", null });
                await g.WriteAsync<long>(i64, new[] { 1L << 40, (1L << 53) + 1 });
                await g.WriteAsync<byte>(u8, new byte[] { 0, 255 });
                await g.WriteAsync<float>(f32, new[] { 0.5f, -2.25f });
                await g.WriteAsync<decimal>(dec, new[] { 12.34m, -0.05m });
            }

            using (var g = writer.CreateRowGroup())
            {
                await g.WriteAsync<int>(i32, new[] { 3 });
                await g.WriteAsync<int>(ni32, new int?[] { null });
                await g.WriteAsync<bool>(flag, new[] { true });
                await g.WriteAsync<bool>(nflag, new bool?[] { false });
                await g.WriteAsync<DateTime>(ts, new DateTime?[] { new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
                await g.WriteAsync<DateOnly>(day, new[] { new DateOnly(2000, 1, 1) });
                await g.WriteAsync(name, new[] { "" });
                await g.WriteAsync<long>(i64, new[] { -5L });
                await g.WriteAsync<byte>(u8, new byte[] { 9 });
                await g.WriteAsync<float>(f32, new[] { float.NaN });
                await g.WriteAsync<decimal>(dec, new[] { 0m });
            }
        }

        var result = await ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None);
        var t = result.Table;

        Assert.Equal("parquet (2 row groups)", result.Format);
        Assert.Equal(3, t.RowCount);
        Assert.Equal([1d, -2d, 3d], Numbers(t, "i32"));
        Assert.Equal([7d, double.NaN, double.NaN], Numbers(t, "ni32"));
        AssertTexts(t, "flag", "true", "false", "true");
        AssertTexts(t, "nflag", null, "true", "false");
        AssertTexts(t, "ts", "2024-03-05T14:30:15.25Z", null, "2000-01-01T00:00:00Z");
        AssertTexts(t, "day", "2024-02-29", "1999-12-31", "2000-01-01");
        AssertTexts(t, "name", "ann", null, "");
        Assert.Equal([1099511627776d, 9007199254740992d, -5d], Numbers(t, "i64"));
        Assert.Equal([0d, 255d, 9d], Numbers(t, "u8"));
        Assert.Equal([0.5, -2.25, double.NaN], Numbers(t, "f32"));
        Assert.Equal([12.34, -0.05, 0], Numbers(t, "dec"));

        // 2^53 + 1 cannot be a double: the user is told rather than silently given 2^53.
        var note = Assert.Single(result.Notes);
        Assert.Contains("'i64'", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimesAndNaiveTimestamps_ReadAsIsoText()
    {
        var time = new TimeDataField("t", TimeUnitPrecision.Millis);
        var naive = new DateTimeDataField("local", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis);
        var id = new DataField<Guid>("id");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "times.parquet");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(time, naive, id), stream);
            using var g = writer.CreateRowGroup();
            await g.WriteAsync<int>(time, new[] { 3_723_004, 0 });
            await g.WriteAsync<DateTime>(naive, new[] { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified), new DateTime(2024, 6, 30) });
            await g.WriteAsync<Guid>(id, new[] { Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), Guid.Empty });
        }

        var t = (await ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None)).Table;

        AssertTexts(t, "t", "01:02:03.004", "00:00:00");
        // No offset: the file does not say which zone, and this machine's zone must not leak into the data.
        AssertTexts(t, "local", "2024-01-02T03:04:05", "2024-06-30T00:00:00");
        AssertTexts(t, "id", "01234567-89ab-cdef-0123-456789abcdef", "00000000-0000-0000-0000-000000000000");
    }

    [Fact]
    public async Task BoolColumn_GivesTheSameTextAsTheCsvSpelling()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "b.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new BoolRow { Ok = true }, new BoolRow { Ok = false } }, path);

        var t = (await ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None)).Table;

        var csvEquivalent = StringColumn.FromValues("Ok", ["true", "false"]);
        AssertTexts(t, "Ok", csvEquivalent.GetText(0), csvEquivalent.GetText(1));
    }

    [Fact]
    public async Task ListColumn_IsRefusedNamingTheColumn()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "list.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new ListRow { Id = 1, Tags = [1, 2] } }, path);

        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));

        Assert.Equal("PARQUET_UNSUPPORTED_TYPE", ex.Code);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("'Tags'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Tags", ex.Location?.Column);
    }

    [Fact]
    public async Task StructColumn_IsRefusedNamingTheColumn()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "struct.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new StructRow { Id = 1, Child = new Inner { X = 2 } } }, path);

        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));

        Assert.Equal("PARQUET_UNSUPPORTED_TYPE", ex.Code);
        Assert.Contains("'Child'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapColumn_IsRefusedNamingTheColumn()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "map.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new MapRow { Id = 1, Attrs = new() { ["a"] = 1 } } }, path);

        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));

        Assert.Equal("PARQUET_UNSUPPORTED_TYPE", ex.Code);
        Assert.Contains("'Attrs'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryColumn_IsRefusedNamingTheColumn()
    {
        var blob = new DataField<byte[]>("blob");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "blob.parquet");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(blob), stream);
            using var g = writer.CreateRowGroup();
            await g.WriteAsync(blob, new byte[]?[] { [1, 2], null });
        }

        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));

        Assert.Equal("PARQUET_UNSUPPORTED_TYPE", ex.Code);
        Assert.Contains("'blob'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyColumns_IsRefused()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "wide.parquet");
        await ParquetTableWriter.WriteAsync(new Table([new NumericColumn("a", [1]), new NumericColumn("b", [2])]), path, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<FerryException>(
            () => ParquetTableReader.LoadAsync(path, new TableLoadOptions { MaxColumns = 1 }, null, CancellationToken.None));

        Assert.Equal("TOO_MANY_COLUMNS", ex.Code);
    }

    private static double[] Numbers(Table t, string column) => ((NumericColumn)t[column]).Values.ToArray();

    private static void AssertTexts(Table t, string column, params string?[] expected)
    {
        var c = Assert.IsType<StringColumn>(t[column]);
        Assert.Equal((IEnumerable<string?>)expected, Enumerable.Range(0, c.Length).Select(c.GetText));
    }

    public sealed class BoolRow
    {
        public bool Ok { get; set; }
    }

    public sealed class ListRow
    {
        public int Id { get; set; }

        public List<int> Tags { get; set; } = [];
    }

    public sealed class StructRow
    {
        public int Id { get; set; }

        public Inner Child { get; set; } = new();
    }

    public sealed class Inner
    {
        public int X { get; set; }
    }

    public sealed class MapRow
    {
        public int Id { get; set; }

        public Dictionary<string, int> Attrs { get; set; } = [];
    }
}
