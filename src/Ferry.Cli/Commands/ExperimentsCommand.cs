using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Tracking.Model;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry experiments list</c>.</summary>
internal static class ExperimentsCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON" };
        var all = new Option<bool>("--all") { Description = "Include deleted experiments" };
        var list = new Command("list", "List experiments") { json, all };
        app.AddExamples(list, "ferry experiments list", "ferry experiments list --all --json");
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var experiments = await TrackingAccess.ExperimentsAsync(store, parse.GetValue(all) ? ViewType.All : ViewType.ActiveOnly, ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(experiments, FerryJson.Indented));
                return CliApp.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Id", "Name", "Stage", "Created (UTC)", "Artifacts");
            foreach (var e in experiments.OrderBy(e => long.Parse(e.ExperimentId, CultureInfo.InvariantCulture)))
            {
                table.AddRow(e.ExperimentId, Markup.Escape(e.Name), e.LifecycleStage.ToString().ToLowerInvariant(), TrackingAccess.Time(e.CreationTime), Markup.Escape(e.ArtifactLocation));
            }

            context.Console.Out.Write(table);
            return CliApp.Success;
        });

        var command = new Command("experiments", "Experiments that group tracked runs") { list };
        app.AddExamples(command, "ferry experiments list");
        return command;
    }
}
