using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Tracking.Artifacts;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry artifacts list|get RUN [PATH]</c>: a run's files.</summary>
internal static class ArtifactsCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var command = new Command("artifacts", "A run's artifacts: list them, download them") { List(app, context), Get(app, context) };
        app.AddExamples(command, "ferry artifacts list RUN", "ferry artifacts get RUN model -o ./model");
        return command;
    }

    private static Command List(CliApp app, CliContext context)
    {
        var runId = new Argument<string>("run") { Description = "The run id" };
        var path = new Argument<string?>("path") { Description = "A folder inside the run's artifacts (default: the top)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the entries as JSON" };
        var list = new Command("list", "List a run's artifacts in one folder") { runId, path, json };
        app.AddExamples(list, "ferry artifacts list 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c", "ferry artifacts list 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c data-report --json");
        list.SetAction(async (parse, ct) =>
        {
            using var artifacts = await OpenAsync(context, parse, parse.GetValue(runId)!, ct);
            var entries = await artifacts.ListAsync(parse.GetValue(path), ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(entries, FerryJson.Indented));
                return CliApp.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Path", "Size");
            foreach (var entry in entries)
            {
                table.AddRow(Markup.Escape(entry.Path + (entry.IsDirectory ? "/" : "")), entry.Size?.ToString("N0", CultureInfo.InvariantCulture) ?? "");
            }

            context.Console.Out.Write(table);
            return CliApp.Success;
        });
        return list;
    }

    private static Command Get(CliApp app, CliContext context)
    {
        var runId = new Argument<string>("run") { Description = "The run id" };
        var path = new Argument<string>("path") { Description = "A file or folder inside the run's artifacts" };
        var output = new Option<string>("--output", "-o") { Description = "Folder to download into", DefaultValueFactory = _ => "." };
        var get = new Command("get", "Download a file or folder from a run's artifacts") { runId, path, output };
        app.AddExamples(get, "ferry artifacts get 9f2c4e0d8a3b4f6e9d1c2b3a4f5e6d7c data-report -o ./report");
        get.SetAction(async (parse, ct) =>
        {
            using var artifacts = await OpenAsync(context, parse, parse.GetValue(runId)!, ct);
            var written = await artifacts.DownloadAsync(parse.GetValue(path), parse.GetValue(output)!, ct);
            context.Console.Out.MarkupLine($"Downloaded to {Markup.Escape(written)}");
            return CliApp.Success;
        });
        return get;
    }

    private static async Task<IArtifactStore> OpenAsync(CliContext context, ParseResult parse, string runId, CancellationToken ct)
    {
        await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
        var run = await store.GetRunAsync(runId, ct);
        return TrackingAccess.OpenArtifacts(context, parse, run.Info.ArtifactUri);
    }
}
