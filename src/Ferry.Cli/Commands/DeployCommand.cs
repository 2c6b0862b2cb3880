using System.CommandLine;
using System.Globalization;
using Ferry.Serving.Sources;
using Ferry.Tracking;
using Ferry.Tracking.Registry;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry deploy NAME</c>: rollouts recorded in the registry, which every server reading it follows within its poll
/// interval: the champion alias, a canary with its weight, a shadow with its share, promotion and rollback.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model" };
        var champion = new Option<int?>("--champion") { Description = "Make this version the champion (it takes the traffic)" };
        var canary = new Option<int?>("--canary") { Description = "Send a share of the traffic to this version" };
        var weight = new Option<double>("--weight") { Description = "The canary's share of traffic, in percent", DefaultValueFactory = _ => 10 };
        var shadow = new Option<int?>("--shadow") { Description = "Copy a share of the traffic to this version; its answers are only logged and compared" };
        var share = new Option<double>("--share") { Description = "The share of traffic copied to the shadow, in percent", DefaultValueFactory = _ => 100 };
        var noShadow = new Option<bool>("--no-shadow") { Description = "Stop shadowing" };
        var promote = new Option<bool>("--promote") { Description = "Make the canary (or, with none, the challenger alias) the champion" };
        var rollback = new Option<bool>("--rollback") { Description = "Drop the canary, or with none, give the champion alias back to the version it had before" };
        var command = new Command("deploy", "Roll a model out: champion, canary by weight, shadow, promote, rollback (shows the rollout without options)")
        {
            name, champion, canary, weight, shadow, share, noShadow, promote, rollback,
        };
        app.AddExamples(
            command,
            "ferry deploy penguins --promote",
            "ferry deploy penguins --canary 4 --weight 10",
            "ferry deploy penguins --shadow 5 --share 25",
            "ferry deploy penguins --rollback",
            "ferry deploy penguins");
        command.SetAction(async (parse, ct) =>
        {
            var model = parse.GetValue(name)!;
            var actions = new[] { parse.GetValue(champion) is not null, parse.GetValue(canary) is not null, parse.GetValue(promote), parse.GetValue(rollback) }.Count(a => a);
            if (actions > 1)
            {
                throw FerryException.Usage("DEPLOY_OPTIONS_CONFLICT", "give one of --champion, --canary, --promote and --rollback at a time");
            }

            await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
            var registry = (IModelRegistry)store;
            var deployment = new Deployment(registry, await Get(registry, model, ct));
            if (parse.GetValue(champion) is { } version)
            {
                await deployment.SetChampionAsync(version, ct);
            }
            else if (parse.GetValue(canary) is { } canaryVersion)
            {
                await deployment.SetCanaryAsync(canaryVersion, Percent(parse.GetValue(weight), "--weight"), ct);
            }
            else if (parse.GetValue(promote))
            {
                await deployment.PromoteAsync(ct);
            }
            else if (parse.GetValue(rollback))
            {
                await deployment.RollbackAsync(ct);
            }

            if (parse.GetValue(shadow) is { } shadowVersion)
            {
                await deployment.SetShadowAsync(shadowVersion, Percent(parse.GetValue(share), "--share"), ct);
            }
            else if (parse.GetValue(noShadow))
            {
                await deployment.StopShadowAsync(ct);
            }

            Print(context, await Get(registry, model, ct), deployment.Done);
            return CliApp.Success;
        });
        return command;
    }

    private static async Task<RegisteredModel> Get(IModelRegistry registry, string name, CancellationToken ct)
    {
        try
        {
            return await registry.GetRegisteredModelAsync(name, ct);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound("MODEL_NOT_FOUND", $"no registered model is named '{name}'; `ferry models list` shows them");
        }
    }

    private static double Percent(double value, string option) =>
        value is >= 0 and <= 100 ? value : throw FerryException.Usage("DEPLOY_OPTION_INVALID", $"{option} is {value.ToString(CultureInfo.InvariantCulture)}; give a percentage from 0 to 100");

    private static void Print(CliContext context, RegisteredModel model, IReadOnlyList<string> done)
    {
        var output = context.Console.Out;
        foreach (var line in done)
        {
            output.MarkupLine(Markup.Escape(line));
        }

        string Tag(string key) => model.Tags.FirstOrDefault(t => t.Key == key)?.Value ?? "";
        var champion = model.Aliases.FirstOrDefault(a => a.Alias == DeploymentTags.Champion);
        var latest = model.LatestVersions.Count == 0 ? "none" : model.LatestVersions.Max(v => v.Version).ToString(CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(model.Name)}[/] rollout");
        table.AddColumns("Role", "Version", "Traffic");
        var canary = DeploymentTags.ReadCanary(model.Tags, out _);
        var shadow = DeploymentTags.ReadShadow(model.Tags, out _);
        var championShare = 100 - ((canary?.Share ?? 0) * 100);
        table.AddRow("champion", champion is null ? $"none: latest ({latest}) serves" : champion.Version.ToString(CultureInfo.InvariantCulture), $"{championShare:0.##}%");
        if (canary is not null)
        {
            table.AddRow("canary", canary.Version.ToString(CultureInfo.InvariantCulture), $"{canary.Share * 100:0.##}%");
        }

        if (shadow is not null)
        {
            table.AddRow("shadow", shadow.Version.ToString(CultureInfo.InvariantCulture), $"copy of {shadow.Share * 100:0.##}%, answers logged only");
        }

        if (Tag(DeploymentTags.Previous) is { Length: > 0 } previous)
        {
            table.AddRow("previous", Markup.Escape(previous), "--rollback restores it");
        }

        output.Write(table);
    }
}
