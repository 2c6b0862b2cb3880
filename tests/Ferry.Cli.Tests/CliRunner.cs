using System.Diagnostics;
using System.Text;

namespace Ferry.Cli.Tests;

/// <summary>Runs the ferry CLI in-process (fast, for most tests) or as a real process (exit codes, signals).</summary>
internal static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Sample(string file) => Path.Combine(RepoRoot, "samples", file);

    public static async Task<CliResult> RunAsync(string home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(CliConsole.ForWriters(output, error), TimeProvider.System, name => name == "FERRY_HOME" ? home : null);
        var code = await new CliApp(context).RunAsync(args, CancellationToken.None);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts <c>dotnet ferry.dll</c> with the given home; the caller waits and may signal it.</summary>
    /// <remarks>
    /// It runs under <c>env --default-signal=INT</c>: a test runner started from a non-interactive shell's
    /// background job inherits SIGINT as ignored, and .NET honours that, while a terminal's Ctrl+C reaches a
    /// process whose SIGINT has its default disposition. Resetting it makes the child see what a user's would.
    /// </remarks>
    public static Process Start(string home, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ferry.dll");
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["FERRY_HOME"] = home;
        return Process.Start(info)!;
    }

    public static async Task<CliResult> RunProcessAsync(string home, params string[] args)
    {
        using var process = Start(home, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.sln not found above the test folder");
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
