using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Ferry.Cli.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-cancel").FullName;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Theory]
    [InlineData(2)] // SIGINT, what Ctrl+C sends
    [InlineData(15)] // SIGTERM, what a service manager sends
    public async Task Interrupt_DuringAdd_Exits130_AndLeavesNoVersion(int signal)
    {
        var big = Path.Combine(_home, "big.csv");
        await using (var writer = new StreamWriter(big))
        {
            await writer.WriteLineAsync("a,b,c,d,label");
            var random = new Random(3);
            for (var i = 0; i < 3_000_000; i++)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{random.NextDouble():F6},{random.Next(1000)},{random.NextDouble() * 100:F3},c{random.Next(20)},{(random.Next(2) == 0 ? "yes" : "no")}"));
            }
        }

        using var process = CliRunner.Start(_home, "data", "add", big, "--name", "big");
        var error = process.StandardError.ReadToEndAsync();
        // Interrupt once the CLI is reading the file: by then it handles signals, however slowly a loaded machine started it.
        await WaitUntilOpenAsync(process, big);
        Assert.False(process.HasExited, "the add finished before it could be interrupted; make the file bigger");
        Assert.Equal(0, kill(process.Id, signal));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", await error, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(_home, "data", "list", "--json");
        Assert.Equal("[]", list.Output.Trim());
        // Nothing half-written: no stray temp files (an opened but empty store is fine).
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_home).Select(Path.GetFileName), n => n != "big.csv" && !n!.StartsWith("ferry.db", StringComparison.Ordinal));
    }

    private static async Task WaitUntilOpenAsync(Process process, string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if (Directory.EnumerateFiles($"/proc/{process.Id}/fd").Any(fd => new FileInfo(fd).LinkTarget == file))
                {
                    return;
                }
            }
            catch (IOException)
            {
                // A descriptor closed while we looked; look again.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the CLI did not open {file} within 60 s");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
