using System.CommandLine;
using System.Text.Json;
using Ferry.Tracking;
using Ferry.Tracking.Model;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry runs list|show|compare|delete</c>.</summary>
internal static class RunsCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var command = new Command("runs", "Tracked runs: list, inspect, compare and delete")
        {
            List(app, context),
            Show(app, context),
            RunsCompareCommand.Create(app, context),
            Delete(app, context),
        };
        app.AddExamples(command, "ferry runs list --experiment churn", "ferry runs compare RUN_A RUN_B");
        return command;
    }

    private static Command List(CliApp app, CliContext context)
    {
        var experiment = new Option<string[]>("--experiment", "-e") { Description = "Experiment name or id (repeatable; default: every active experiment)" };
        var filter = new Option<string?>("--filter") { Description = "MLflow search filter, e.g. \"metrics.acc > 0.9 and params.learner = 'lightgbm'\"" };
        var orderBy = new Option<string[]>("--order-by") { Description = "MLflow order_by clause (repeatable), e.g. \"metrics.acc DESC\"" };
        var max = new Option<int>("--max") { Description = "Most runs to show (1 to 50,000)", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Include deleted runs" };
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON" };
        var list = new Command("list", "List runs, newest first, with MLflow's filter and order_by") { experiment, filter, orderBy, max, all, json };
        app.AddExamples(list, "ferry runs list", "ferry runs list -e churn --filter \"metrics.auc > 0.9\" --order-by \"metrics.auc DESC\" --max 10");
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var names = parse.GetValue(experiment) ?? [];
            var experiments = names.Length == 0
                ? await TrackingAccess.ExperimentsAsync(store, ViewType.ActiveOnly, ct)
                : [.. await Task.WhenAll(names.Select(n => TrackingAccess.ExperimentAsync(store, n, ct)))];
            var page = await store.SearchRunsAsync(new RunSearchRequest
            {
                ExperimentIds = [.. experiments.Select(e => e.ExperimentId)],
                Filter = parse.GetValue(filter),
                OrderBy = parse.GetValue(orderBy),
                MaxResults = parse.GetValue(max),
                ViewType = parse.GetValue(all) ? ViewType.All : ViewType.ActiveOnly,
            }, ct);

            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(page.Items, FerryJson.Indented));
                return CliApp.Success;
            }

            var byId = experiments.ToDictionary(e => e.ExperimentId, e => e.Name);
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Run", "Name", "Experiment", "Status", "Started (UTC)", "Metrics");
            foreach (var run in page.Items)
            {
                var metrics = string.Join(", ", run.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Take(4).Select(m => $"{m.Key}={TrackingAccess.Number(m.Value)}"));
                table.AddRow(run.Info.RunId, Markup.Escape(run.Info.RunName), Markup.Escape(byId.GetValueOrDefault(run.Info.ExperimentId, run.Info.ExperimentId)),
                    run.Info.Status.ToString().ToUpperInvariant(), TrackingAccess.Time(run.Info.StartTime), Markup.Escape(metrics));
            }

            context.Console.Out.Write(table);
            if (page.NextPageToken is not null)
            {
                context.Console.Out.MarkupLine($"[dim]More runs match; raise --max (now {parse.GetValue(max)}) to see them.[/]");
            }

            return CliApp.Success;
        });
        return list;
    }

    private static Command Show(CliApp app, CliContext context)
    {
        var runId = new Argument<string>("run") { Description = "The run id" };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON" };
        var show = new Command("show", "Show one run: state, params, latest metrics, tags and dataset inputs") { runId, json };
        app.AddExamples(show, "ferry runs show 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c");
        show.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var run = await store.GetRunAsync(parse.GetValue(runId)!, ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(run, FerryJson.Indented));
                return CliApp.Success;
            }

            var console = context.Console.Out;
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]Run[/]", $"{run.Info.RunId} ({Markup.Escape(run.Info.RunName)})");
            grid.AddRow("[bold]Experiment[/]", run.Info.ExperimentId);
            grid.AddRow("[bold]Status[/]", run.Info.Status.ToString().ToUpperInvariant());
            grid.AddRow("[bold]Started[/]", TrackingAccess.Time(run.Info.StartTime));
            grid.AddRow("[bold]Ended[/]", TrackingAccess.Time(run.Info.EndTime));
            grid.AddRow("[bold]Artifacts[/]", Markup.Escape(run.Info.ArtifactUri));
            console.Write(grid);
            WriteKeyValues(console, "Params", run.Data.Params.Select(p => (p.Key, p.Value)));
            WriteKeyValues(console, "Metrics (latest)", run.Data.Metrics.Select(m => (m.Key, $"{TrackingAccess.Number(m.Value)} (step {m.Step})")));
            WriteKeyValues(console, "Tags", run.Data.Tags.Select(t => (t.Key, t.Value)));
            WriteKeyValues(console, "Dataset inputs", run.Inputs.Select(d => (d.Name, $"{d.Digest} ({d.Source})")));
            return CliApp.Success;
        });
        return show;
    }

    private static Command Delete(CliApp app, CliContext context)
    {
        var runId = new Argument<string>("run") { Description = "The run id" };
        var delete = new Command("delete", "Delete a run (soft: list --all still shows it)") { runId };
        app.AddExamples(delete, "ferry runs delete 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c");
        delete.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var id = parse.GetValue(runId)!;
            await store.DeleteRunAsync(id, ct);
            context.Console.Out.MarkupLine($"Deleted run {id}.");
            return CliApp.Success;
        });
        return delete;
    }

    private static void WriteKeyValues(IAnsiConsole console, string title, IEnumerable<(string Key, string Value)> rows)
    {
        var list = rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{title}[/]");
        table.AddColumns("Key", "Value");
        foreach (var (key, value) in list)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        console.Write(table);
    }
}
