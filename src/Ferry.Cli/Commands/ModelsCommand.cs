using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Tracking;
using Ferry.Tracking.Registry;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry models list|show|alias set|stage|import</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var command = new Command("models", "Registered models: versions, aliases, stages and lineage; ONNX import")
        {
            List(app, context),
            Show(app, context),
            Alias(app, context),
            Stage(app, context),
            ModelsImportCommand.Create(app, context),
        };
        app.AddExamples(command, "ferry models list", "ferry models show churn@champion");
        return command;
    }

    private static Command List(CliApp app, CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the models as JSON" };
        var list = new Command("list", "List registered models with their aliases and newest version") { json };
        app.AddExamples(list, "ferry models list", "ferry models list --json");
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var registry = (IModelRegistry)store;
            var models = new List<RegisteredModel>();
            string? token = null;
            do
            {
                var page = await registry.SearchRegisteredModelsAsync(null, TrackingLimits.MaxRegisteredModelSearchResults, null, token, ct);
                models.AddRange(page.Items);
                token = page.NextPageToken;
            }
            while (token is not null);

            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(models, FerryJson.Indented));
                return CliApp.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("Name", "Latest version", "Aliases", "Updated (UTC)", "Description");
            foreach (var m in models)
            {
                var latest = m.LatestVersions.Count == 0 ? "-" : m.LatestVersions.Max(v => v.Version).ToString(CultureInfo.InvariantCulture);
                table.AddRow(Markup.Escape(m.Name), latest, Markup.Escape(string.Join(", ", m.Aliases.Select(a => $"{a.Alias}→{a.Version}"))),
                    TrackingAccess.Time(m.LastUpdatedTimestamp), Markup.Escape(m.Description));
            }

            context.Console.Out.Write(table);
            return CliApp.Success;
        });
        return list;
    }

    private static Command Show(CliApp app, CliContext context)
    {
        var reference = new Argument<string>("model") { Description = "NAME (the model and its versions), NAME/VERSION or NAME@ALIAS (one version with its lineage)" };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var show = new Command("show", "Show a model's versions, or one version's lineage back to its run, data and code") { reference, json };
        app.AddExamples(show, "ferry models show churn", "ferry models show churn/3", "ferry models show churn@champion --json");
        show.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var registry = (IModelRegistry)store;
            var (name, version, alias) = ParseReference(parse.GetValue(reference)!);
            if (version is null && alias is null)
            {
                var model = await registry.GetRegisteredModelAsync(name, ct);
                var versions = await registry.SearchModelVersionsAsync($"name = '{name.Replace("'", "''", StringComparison.Ordinal)}'", 1000, ["version_number DESC"], null, ct);
                if (parse.GetValue(json))
                {
                    await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(new { model, versions = versions.Items }, FerryJson.Indented));
                    return CliApp.Success;
                }

                var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(model.Name)}[/]");
                table.AddColumns("Version", "Stage", "Aliases", "Run", "Created (UTC)", "Source");
                foreach (var v in versions.Items)
                {
                    table.AddRow(v.Version.ToString(CultureInfo.InvariantCulture), ModelStages.Name(v.CurrentStage), Markup.Escape(string.Join(", ", model.Aliases.Where(a => a.Version == v.Version).Select(a => a.Alias))),
                        v.RunId ?? "-", TrackingAccess.Time(v.CreationTimestamp), Markup.Escape(v.Source));
                }

                context.Console.Out.Write(table);
                return CliApp.Success;
            }

            var number = version ?? (await registry.GetModelVersionByAliasAsync(name, alias!, ct)).Version;
            var lineage = await registry.GetLineageAsync(name, number, ct);
            if (parse.GetValue(json))
            {
                await context.Console.RawOut.WriteLineAsync(JsonSerializer.Serialize(lineage, FerryJson.Indented));
                return CliApp.Success;
            }

            var console = context.Console.Out;
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("[bold]Model[/]", $"{Markup.Escape(name)}/{number} ({ModelStages.Name(lineage.Version.CurrentStage)})");
            grid.AddRow("[bold]Source[/]", Markup.Escape(lineage.Version.Source));
            grid.AddRow("[bold]Run[/]", lineage.Run is { } run ? $"{run.Info.RunId} ({Markup.Escape(run.Info.RunName)}, {run.Info.Status.ToString().ToUpperInvariant()})" : "-");
            grid.AddRow("[bold]Code[/]", Markup.Escape(lineage.GitCommit ?? "-"));
            grid.AddRow("[bold]Data[/]", Markup.Escape(string.Join(", ", lineage.DatasetVersions.Concat(lineage.Run?.Inputs.Select(i => $"{i.Name} ({i.Digest})") ?? [])) is { Length: > 0 } d ? d : "-"));
            if (lineage.Run is { } r)
            {
                grid.AddRow("[bold]Params[/]", Markup.Escape(string.Join(", ", r.Data.Params.Select(p => $"{p.Key}={p.Value}"))));
                grid.AddRow("[bold]Metrics[/]", Markup.Escape(string.Join(", ", r.Data.Metrics.Select(m => $"{m.Key}={TrackingAccess.Number(m.Value)}"))));
            }

            console.Write(grid);
            return CliApp.Success;
        });
        return show;
    }

    private static Command Alias(CliApp app, CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model" };
        var alias = new Argument<string>("alias") { Description = "The alias, e.g. champion or challenger" };
        var version = new Argument<int>("version") { Description = "The version the alias points to (moved if it pointed elsewhere)" };
        var set = new Command("set", "Point an alias at a version (rollback is pointing it back)") { name, alias, version };
        app.AddExamples(set, "ferry models alias set churn champion 3");
        set.SetAction(async (parse, ct) =>
        {
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            await ((IModelRegistry)store).SetRegisteredModelAliasAsync(parse.GetValue(name)!, parse.GetValue(alias)!, parse.GetValue(version), ct);
            context.Console.Out.MarkupLine($"{Markup.Escape(parse.GetValue(name)!)}@{Markup.Escape(parse.GetValue(alias)!)} → version {parse.GetValue(version)}");
            return CliApp.Success;
        });
        var command = new Command("alias", "Manage model aliases") { set };
        app.AddExamples(command, "ferry models alias set churn champion 3");
        return command;
    }

    private static Command Stage(CliApp app, CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model" };
        var version = new Argument<int>("version") { Description = "The version to move" };
        var stage = new Argument<string>("stage") { Description = "None, Staging, Production or Archived (MLflow's stages)" };
        var archive = new Option<bool>("--archive-existing") { Description = "Archive the versions already in that stage" };
        var command = new Command("stage", "Move a version to an MLflow stage") { name, version, stage, archive };
        app.AddExamples(command, "ferry models stage churn 3 Production --archive-existing");
        command.SetAction(async (parse, ct) =>
        {
            var target = ModelStages.Parse(parse.GetValue(stage)!);
            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var moved = await ((IModelRegistry)store).TransitionModelVersionStageAsync(parse.GetValue(name)!, parse.GetValue(version), target, parse.GetValue(archive), ct);
            context.Console.Out.MarkupLine($"{Markup.Escape(moved.Name)}/{moved.Version} is now in {ModelStages.Name(moved.CurrentStage)}");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Splits NAME, NAME/VERSION or NAME@ALIAS.</summary>
    internal static (string Name, int? Version, string? Alias) ParseReference(string text)
    {
        var at = text.LastIndexOf('@');
        if (at > 0)
        {
            return (text[..at], null, text[(at + 1)..]);
        }

        var slash = text.LastIndexOf('/');
        if (slash > 0)
        {
            return int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? (text[..slash], v, null)
                : throw FerryException.Usage("MODEL_REF_INVALID", $"'{text}' is not NAME, NAME/VERSION or NAME@ALIAS: the version must be a whole number from 1");
        }

        return (text, null, null);
    }
}
