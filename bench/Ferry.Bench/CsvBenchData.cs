using System.Globalization;
using System.Text;

namespace Ferry.Bench;

/// <summary>The benchmark's CSV: 1M rows x 20 columns, generated once into a cache folder.</summary>
internal static class CsvBenchData
{
    public const int Rows = 1_000_000;
    public const int Columns = 20;

    /// <summary>The column schema inference treats as the label.</summary>
    public const string Label = "segment";

    private static readonly string[] Cities = [.. Enumerable.Range(0, 40).Select(i => $"city_{i:00}")];
    private static readonly string[] Colors = ["red", "green", "blue", "black", "white"];
    private static readonly string[] Segments = ["consumer", "corporate", "home office", "small business"];

    /// <summary>The file's path, generating it on first use.</summary>
    public static string EnsureFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ferry-bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"csv-{Rows}x{Columns}-v1.csv");
        if (!File.Exists(path))
        {
            Console.WriteLine($"generating {path} ...");
            var partial = path + ".partial";
            Write(partial);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    private static void Write(string path)
    {
        // 1 id, 12 measurements, 4 small counts, 3 categories; about 2% of the non-id cells are missing.
        var random = new Random(42);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        var header = new List<string> { "id" };
        header.AddRange(Enumerable.Range(1, 12).Select(i => $"measure_{i}"));
        header.AddRange(Enumerable.Range(1, 4).Select(i => $"count_{i}"));
        header.AddRange(["city", "color", "segment"]);
        writer.Write(string.Join(',', header));
        writer.Write('\n');
        var line = new StringBuilder();
        for (var row = 0; row < Rows; row++)
        {
            line.Clear();
            line.Append(row.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < 12; i++)
            {
                line.Append(',');
                if (!Missing(random))
                {
                    var value = Math.Round((random.NextDouble() - 0.2) * Math.Pow(10, i % 5), 3);
                    line.Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            for (var i = 0; i < 4; i++)
            {
                line.Append(',');
                if (!Missing(random))
                {
                    line.Append(random.Next(0, 50 * (i + 1)).ToString(CultureInfo.InvariantCulture));
                }
            }

            line.Append(',').Append(Missing(random) ? string.Empty : Cities[random.Next(Cities.Length)]);
            line.Append(',').Append(Missing(random) ? string.Empty : Colors[random.Next(Colors.Length)]);
            line.Append(',').Append(Missing(random) ? string.Empty : Segments[random.Next(Segments.Length)]);
            line.Append('\n');
            writer.Write(line);
        }
    }

    private static bool Missing(Random random) => random.NextDouble() < 0.02;
}
