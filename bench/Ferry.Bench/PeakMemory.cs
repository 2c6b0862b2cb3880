using System.Diagnostics;
using System.Globalization;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;

namespace Ferry.Bench;

/// <summary>Peak resident memory of one load, measured in a fresh process so nothing else inflates it.</summary>
internal static class PeakMemory
{
    private const string Marker = "peak-bytes ";

    /// <summary>Child side: loads <paramref name="file"/> once and prints VmHWM from /proc/self/status.</summary>
    public static async Task<int> MeasureLoadAsync(string file)
    {
        var clock = Stopwatch.StartNew();
        var result = await CsvTableReader.LoadAsync(file, new TableLoadOptions(), null, CancellationToken.None);
        SchemaInference.Infer(result.Table, CsvBenchData.Label);
        clock.Stop();

        GC.KeepAlive(result);
        var peak = ReadVmHwm();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows {result.Table.RowCount}, load {clock.Elapsed.TotalSeconds:F2} s"));
        Console.WriteLine(peak is null ? "peak-bytes unknown" : Marker + peak.Value.ToString(CultureInfo.InvariantCulture));
        return peak is null ? 1 : 0;
    }

    /// <summary>Parent side: runs this executable with <c>--peak</c> and returns the child's peak in bytes.</summary>
    public static long? MeasureInChild(string file)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PeakMemory).Assembly.Location);
        }

        start.ArgumentList.Add("--peak");
        start.ArgumentList.Add(file);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the peak-memory child");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        return line is not null && long.TryParse(line[Marker.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
    }

    private static long? ReadVmHwm()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
