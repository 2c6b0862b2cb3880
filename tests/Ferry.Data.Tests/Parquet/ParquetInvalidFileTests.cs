using Ferry.Data.Loading;
using Ferry.Data.Loading.Parquet;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Parquet;

public class ParquetInvalidFileTests
{
    private static readonly TableLoadOptions Options = new();

    [Fact]
    public async Task MissingFile_IsNotFound()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "nope.parquet");

        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("FILE_NOT_FOUND", ex.Code);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task GarbageBytes_AreParquetInvalid(int length)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "garbage.parquet");
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        await AssertInvalidAsync(path);
    }

    [Fact]
    public async Task CsvRenamedToParquet_IsParquetInvalid()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "iris.parquet");
        File.Copy(ParquetTestData.Sample("iris.csv"), path);

        await AssertInvalidAsync(path);
    }

    [Fact]
    public async Task MagicWithGarbageFooter_IsParquetInvalid()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "fake.parquet");
        var middle = new byte[200];
        new Random(7).NextBytes(middle);
        byte[] footerLength = [100, 0, 0, 0];
        await File.WriteAllBytesAsync(path, [.. "PAR1"u8, .. middle, .. footerLength, .. "PAR1"u8]);

        await AssertInvalidAsync(path);
    }

    [Fact]
    public async Task EveryTruncation_IsParquetInvalid()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-pq").FullName;
        var whole = Path.Combine(folder, "whole.parquet");
        await ParquetTableWriter.WriteAsync(ParquetTestData.ReadSampleCsv("penguins.csv"), whole, rowGroupSize: 100, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(whole);

        var cut = Path.Combine(folder, "cut.parquet");
        for (var length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 97))
        {
            await File.WriteAllBytesAsync(cut, bytes.AsMemory(0, length));
            await AssertInvalidAsync(cut);
        }

        // The last byte alone matters too: without the closing magic it is not a Parquet file.
        await File.WriteAllBytesAsync(cut, bytes.AsMemory(0, bytes.Length - 1));
        await AssertInvalidAsync(cut);
    }

    [Fact]
    public async Task CorruptedBytes_NeverEscapeAsRawExceptions()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-pq").FullName;
        var whole = Path.Combine(folder, "whole.parquet");
        await ParquetTableWriter.WriteAsync(ParquetTestData.ReadSampleCsv("penguins.csv"), whole, rowGroupSize: 100, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(whole);
        var random = new Random(42);
        var damaged = Path.Combine(folder, "damaged.parquet");

        for (var trial = 0; trial < 150; trial++)
        {
            var copy = (byte[])bytes.Clone();
            var at = random.Next(copy.Length);
            for (var k = 0; k < 4 && at + k < copy.Length; k++)
            {
                copy[at + k] = (byte)random.Next(256);
            }

            await File.WriteAllBytesAsync(damaged, copy);
            try
            {
                // Damage inside a data page may go unnoticed (Parquet has no mandatory checksums); what must never
                // happen is an exception other than FerryException.
                var result = await ParquetTableReader.LoadAsync(damaged, Options, null, CancellationToken.None);
                Assert.NotNull(result.Table);
            }
            catch (FerryException ex)
            {
                Assert.Contains(ex.Code, new[] { "PARQUET_INVALID", "PARQUET_UNSUPPORTED_TYPE", "PARQUET_TOO_LARGE", "TOO_MANY_COLUMNS" });
            }
        }
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ferry-pq").FullName, "t.parquet");
        await ParquetTableWriter.WriteAsync(new Table([new NumericColumn("x", [1, 2, 3])]), path, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ParquetTableReader.LoadAsync(path, Options, null, cts.Token));
    }

    private static async Task AssertInvalidAsync(string path)
    {
        var ex = await Assert.ThrowsAsync<FerryException>(() => ParquetTableReader.LoadAsync(path, Options, null, CancellationToken.None));
        Assert.Equal("PARQUET_INVALID", ex.Code);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(path, ex.Location?.File);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
