using System.CommandLine;
using System.CommandLine.Help;
using Ferry.Cli.Commands;

namespace Ferry.Cli;

/// <summary>
/// The <c>ferry</c> command line: builds the command tree and applies one exit-code policy to every command:
/// 0 success, 1 failure, 2 usage error (one red line naming the problem), 130 cancelled.
/// </summary>
internal sealed class CliApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;

    private readonly CliContext _context;
    private readonly Dictionary<Command, string[]> _examples = [];

    public CliApp(CliContext context)
    {
        _context = context;
        Root = Build();
    }

    public RootCommand Root { get; }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parse = Root.Parse(args);
        // --help wins over a missing argument: "ferry data add --help" must show help, not an error.
        if (parse.Errors.Count > 0 && parse.Action is not ExamplesHelpAction)
        {
            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command is RootCommand ? "ferry" : result.Command.Name);
            }

            var command = string.Join(' ', names);
            _context.Console.WriteError($"{parse.Errors[0].Message} (see '{command} --help')");
            return UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Cancellation is ours: Program turns Ctrl+C into the token, so commands can clean up first.
            ProcessTerminationTimeout = null,
            Output = _context.Console.RawOut,
        };

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (FerryException e) when (e.Kind == ErrorKind.Cancelled)
        {
            _context.Console.WriteError("cancelled; nothing was written");
            return Cancelled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _context.Console.WriteError("cancelled; nothing was written");
            return Cancelled;
        }
        catch (FerryException e)
        {
            _context.Console.WriteError(e.Describe());
            return e.Kind == ErrorKind.Usage ? UsageError : Failure;
        }
        catch (IOException e)
        {
            _context.Console.WriteError(e.Message);
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            _context.Console.WriteError(e.Message);
            return Failure;
        }
    }

    /// <summary>Records the examples shown under a command's help.</summary>
    public void AddExamples(Command command, params string[] lines) => _examples[command] = lines;

    private RootCommand Build()
    {
        var root = new RootCommand("Ferry carries a machine-learning model from a CSV file or an image folder to a monitored production service.");
        root.Options.Add(_context.HomeOption);
        root.Options.Add(_context.StoreOption);
        root.Options.Add(_context.ArtifactsOption);
        root.Subcommands.Add(QuickstartCommand.Create(this, _context));
        root.Subcommands.Add(DataCommand.Create(this, _context));
        root.Subcommands.Add(InitCommand.Create(this, _context));
        root.Subcommands.Add(TrainCommand.Create(this, _context));
        root.Subcommands.Add(PredictCommand.Create(this, _context));
        root.Subcommands.Add(ExperimentsCommand.Create(this, _context));
        root.Subcommands.Add(RunsCommand.Create(this, _context));
        root.Subcommands.Add(ModelsCommand.Create(this, _context));
        root.Subcommands.Add(ArtifactsCommand.Create(this, _context));
        root.Subcommands.Add(ServerCommand.Create(this, _context));
        root.Subcommands.Add(ServerCommand.CreateServe(this, _context));
        root.Subcommands.Add(DeployCommand.Create(this, _context));
        AddExamples(root, "ferry quickstart", "ferry data inspect samples/penguins.csv", "ferry data add samples/iris.csv --name iris", "ferry runs list", "ferry server");

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, _examples);
        return root;
    }
}
