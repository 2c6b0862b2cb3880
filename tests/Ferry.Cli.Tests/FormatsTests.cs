using System.Text.Json;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Loading.Parquet;
using SkiaSharp;

namespace Ferry.Cli.Tests;

public sealed class FormatsTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-formats").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-cli-formats-work").FullName;

    [Fact]
    public async Task Parquet_WithTheSameContentAsACsv_IsTheSameVersion()
    {
        var csv = await CsvTableReader.LoadAsync(CliRunner.Sample("wine.csv"), new TableLoadOptions(), null, CancellationToken.None);
        var parquet = Path.Combine(_work, "wine.parquet");
        await ParquetTableWriter.WriteAsync(csv.Table, parquet, CancellationToken.None);

        var fromCsv = await CliRunner.RunAsync(_home, "data", "add", CliRunner.Sample("wine.csv"), "--name", "wine", "--json");
        var fromParquet = await CliRunner.RunAsync(_home, "data", "add", parquet, "--name", "wine", "--json");
        Assert.True(fromParquet.ExitCode == 0, fromParquet.ToString());
        var first = JsonDocument.Parse(fromCsv.Output).RootElement;
        var second = JsonDocument.Parse(fromParquet.Output).RootElement;
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(first.GetProperty("version").GetProperty("contentHash").GetString(), second.GetProperty("version").GetProperty("contentHash").GetString());
    }

    [Fact]
    public async Task ImageFolder_InspectsAndVersions_WithClassesFromFolderNames()
    {
        var root = Path.Combine(_work, "shapes");
        for (var i = 0; i < 12; i++)
        {
            WritePng(Path.Combine(root, i % 3 == 0 ? "circle" : "square", $"img{i}.png"), i);
        }

        await File.WriteAllBytesAsync(Path.Combine(root, "square", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var inspect = await CliRunner.RunAsync(_home, "data", "inspect", root, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        var json = JsonDocument.Parse(inspect.Output).RootElement;
        Assert.Equal(12, json.GetProperty("rows").GetInt32());
        Assert.Equal("binary", json.GetProperty("schema").GetProperty("task").GetString());
        Assert.Equal(["circle", "square"], json.GetProperty("schema").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, json.GetProperty("badRowCount").GetInt32());
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "CLASS_IMBALANCE");
        Assert.True(File.Exists(json.GetProperty("report").GetString()));

        var add = await CliRunner.RunAsync(_home, "data", "add", root, "--name", "shapes", "--json");
        Assert.True(add.ExitCode == 0, add.ToString());

        // Moving one image to the other class is new content.
        File.Move(Path.Combine(root, "square", "img1.png"), Path.Combine(root, "circle", "img1.png"));
        var moved = JsonDocument.Parse((await CliRunner.RunAsync(_home, "data", "add", root, "--name", "shapes", "--json")).Output).RootElement;
        Assert.Equal(2, moved.GetProperty("version").GetProperty("version").GetInt32());

        var strict = await CliRunner.RunAsync(_home, "data", "add", root, "--name", "shapes", "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("broken.png", strict.Error, StringComparison.Ordinal);
    }

    private static void WritePng(string path, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(16, 16);
        bitmap.Erase(new SKColor((byte)(seed * 20), 80, 160));
        bitmap.SetPixel(seed % 16, seed % 16, SKColors.White);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
