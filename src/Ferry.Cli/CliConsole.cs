using Spectre.Console;

namespace Ferry.Cli;

/// <summary>
/// Where the CLI writes: results to standard output (so <c>--json</c> output stays clean for scripts),
/// errors and progress to standard error.
/// </summary>
internal sealed class CliConsole
{
    private readonly TextWriter _rawError;

    public CliConsole(IAnsiConsole output, IAnsiConsole error, TextWriter rawOutput, TextWriter rawError, bool interactive)
    {
        Out = output;
        Error = error;
        RawOut = rawOutput;
        _rawError = rawError;
        Interactive = interactive;
    }

    /// <summary>Results for people.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Errors, notes and progress.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Plain standard output, for JSON.</summary>
    public TextWriter RawOut { get; }

    /// <summary>Whether a person is watching a terminal (progress bars only then).</summary>
    public bool Interactive { get; }

    /// <summary>The console of the running process.</summary>
    public static CliConsole ForProcess()
    {
        var output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return new CliConsole(output, error, Console.Out, Console.Error, !Console.IsErrorRedirected && error.Profile.Capabilities.Interactive);
    }

    /// <summary>A console over writers, without colour or progress, for tests.</summary>
    public static CliConsole ForWriters(TextWriter output, TextWriter error)
    {
        IAnsiConsole Plain(TextWriter writer)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = 160;
            return console;
        }

        return new CliConsole(Plain(output), Plain(error), output, error, interactive: false);
    }

    /// <summary>Prints one red line naming a problem (written raw, so Spectre never wraps it onto a second line).</summary>
    public void WriteError(string message)
    {
        var flat = message.ReplaceLineEndings(" ");
        _rawError.WriteLine(Error.Profile.Capabilities.Ansi ? $"\u001b[31merror:\u001b[0m {flat}" : $"error: {flat}");
    }
}
