using BenchmarkDotNet.Attributes;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;

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

    /// <summary>What the target is about: load plus schema inference (column kinds, label, task).</summary>
    [Benchmark]
    public async Task<int> Ferry()
    {
        var result = await CsvTableReader.LoadAsync(_path, new TableLoadOptions(), null, CancellationToken.None);
        return SchemaInference.Infer(result.Table, CsvBenchData.Label).Columns.Count;
    }

    /// <summary>The load alone, to show what inference adds.</summary>
    [Benchmark]
    public async Task<int> FerryLoadOnly()
    {
        var result = await CsvTableReader.LoadAsync(_path, new TableLoadOptions(), null, CancellationToken.None);
        return result.Table.RowCount;
    }
}
