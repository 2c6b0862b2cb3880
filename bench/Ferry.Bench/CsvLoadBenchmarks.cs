using BenchmarkDotNet.Attributes;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;

namespace Ferry.Bench;

/// <summary>Loading the benchmark CSV with Ferry against the plainest possible reader.</summary>
[MemoryDiagnoser]
public class CsvLoadBenchmarks
{
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup() => _path = CsvBenchData.EnsureFile();

    /// <summary>What any loader must at least do: read every line and split it, touching every field.</summary>
    [Benchmark(Baseline = true)]
    public long Baseline()
    {
        long total = 0;
        foreach (var line in File.ReadLines(_path))
        {
            foreach (var field in line.Split(','))
            {
                total += field.Length;
            }
        }

        return total;
    }

    [Benchmark]
    public async Task<int> Ferry()
    {
        var result = await CsvTableReader.LoadAsync(_path, new TableLoadOptions(), null, CancellationToken.None);
        return result.Table.RowCount;
    }

    // ---- SCHEMA INFERENCE (lead): add a [Benchmark] here that loads the table as above and then runs
    // schema inference on result.Table (e.g. a "FerryLoadAndInfer" case), so its cost shows next to Ferry's. ----
}
