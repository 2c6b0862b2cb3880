using System.CommandLine;

namespace Ferry.Cli;

/// <summary>What every command needs: the consoles, the clock, the environment and the global options.</summary>
internal sealed class CliContext
{
    public CliContext(CliConsole console, TimeProvider time, Func<string, string?> environment)
    {
        Console = console;
        Time = time;
        Environment = environment;
    }

    public CliConsole Console { get; }

    public TimeProvider Time { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>The <c>--home</c> option, available on every command.</summary>
    public Option<string?> HomeOption { get; } = new("--home")
    {
        Description = "Ferry home folder holding the store and reports (default: $FERRY_HOME, else ./.ferry)",
        Recursive = true,
    };

    public FerryHome Home(ParseResult parse) => FerryHome.Resolve(parse.GetValue(HomeOption), Environment("FERRY_HOME"));
}
