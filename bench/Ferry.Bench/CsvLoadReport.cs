using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Ferry.Bench;

/// <summary>Runs the CSV benchmarks, then prints throughput, Ferry/baseline ratio and peak memory.</summary>
internal static class CsvLoadReport
{
    public static int Run()
    {
        var file = CsvBenchData.EnsureFile();
        var size = new FileInfo(file).Length;

        // In-process: no generated project to build per run; each operation takes seconds, so one invocation an iteration.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Short");
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).AddDiagnoser(MemoryDiagnoser.Default);
        var summary = BenchmarkRunner.Run<CsvLoadBenchmarks>(config);

        var baseline = MeanSeconds(summary, nameof(CsvLoadBenchmarks.Baseline));
        var ferry = MeanSeconds(summary, nameof(CsvLoadBenchmarks.Ferry));
        Console.WriteLine();
        Console.WriteLine($"CSV load: {file}");
        Console.WriteLine($"  file: {size / 1e6:F1} MB, {CsvBenchData.Rows:N0} rows x {CsvBenchData.Columns} columns");
        Print("baseline (ReadLines+Split)", baseline, size);
        Print("ferry (load + schema inference)", ferry, size);
        Print("ferry (load only)", MeanSeconds(summary, nameof(CsvLoadBenchmarks.FerryLoadOnly)), size);
        if (baseline is > 0 && ferry is > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio ferry/baseline: {ferry.Value / baseline.Value:F2}x (target <= 3x)"));
        }

        var peak = PeakMemory.MeasureInChild(file);
        Console.WriteLine(peak is null
            ? "  peak memory: unavailable (no /proc/self/status)"
            : string.Create(CultureInfo.InvariantCulture, $"  peak memory (VmHWM, one load + inference in a fresh process): {peak.Value / 1e6:F0} MB = {(double)peak.Value / size:F2}x file size (target < 3x)"));
        return 0;
    }

    private static void Print(string name, double? seconds, long size)
    {
        if (seconds is not > 0)
        {
            Console.WriteLine($"  {name}: no result");
            return;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name}: {seconds.Value:F2} s, {size / 1e6 / seconds.Value:F1} MB/s, {CsvBenchData.Rows / seconds.Value:N0} rows/s"));
    }

    private static double? MeanSeconds(Summary summary, string method)
    {
        var report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        return report?.ResultStatistics?.Mean / 1e9;
    }
}
