using System.Text;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;

namespace Ferry.Data.Tests.Loading;

/// <summary>Finds the repository's samples and makes throwaway CSV files for the CSV tests.</summary>
internal static class CsvTestPaths
{
    public static string Sample(string fileName) => TestSamples.PathOf(fileName);
}

/// <summary>A temporary folder deleted with the test.</summary>
internal sealed class CsvTempFolder : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ferry-csv-");

    public string Path => _dir.FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content, Encoding? encoding = null)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

/// <summary>Shortcuts for loading CSV text in tests.</summary>
internal static class CsvLoad
{
    public static Task<TableLoadResult> FileAsync(string path, TableLoadOptions? options = null) =>
        CsvTableReader.LoadAsync(path, options ?? new TableLoadOptions(), null, CancellationToken.None);

    public static Task<TableLoadResult> TextAsync(string content, TableLoadOptions? options = null) =>
        BytesAsync(new UTF8Encoding(false).GetBytes(content), options);

    public static async Task<TableLoadResult> BytesAsync(byte[] content, TableLoadOptions? options = null)
    {
        using var stream = new MemoryStream(content);
        return await CsvTableReader.LoadAsync(stream, "test.csv", options ?? new TableLoadOptions(), null, CancellationToken.None);
    }

    public static async Task<FerryException> FailsAsync(string content, TableLoadOptions? options = null) =>
        await Assert.ThrowsAsync<FerryException>(() => TextAsync(content, options));

    public static string?[] Texts(this TableLoadResult result, string column)
    {
        var c = result.Table[column];
        return [.. Enumerable.Range(0, c.Length).Select(c.GetText)];
    }
}
