using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data</c>: inspect, version, compare and split datasets.</summary>
internal static class DataCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var data = new Command("data", "Inspect, version, compare and split datasets (CSV, Parquet, image folders)");
        data.Subcommands.Add(DataInspectCommand.Create(app, context));
        data.Subcommands.Add(DataAddCommand.Create(app, context));
        data.Subcommands.Add(DataListCommand.Create(app, context));
        data.Subcommands.Add(DataShowCommand.Create(app, context));
        data.Subcommands.Add(DataDiffCommand.Create(app, context));
        data.Subcommands.Add(DataSplitCommand.Create(app, context));
        app.AddExamples(data, "ferry data inspect samples/penguins.csv", "ferry data add samples/iris.csv --name iris", "ferry data diff iris@1 iris@2");
        return data;
    }
}
