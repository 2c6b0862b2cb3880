using System.Runtime.InteropServices;

namespace Ferry.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // The first Ctrl+C (or SIGTERM) asks the running command to stop and clean up; a second one
        // falls through to the default and ends the process.
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        var context = new CliContext(CliConsole.ForProcess(), TimeProvider.System, Environment.GetEnvironmentVariable);
        return await new CliApp(context).RunAsync(args, cancellation.Token);
    }
}
