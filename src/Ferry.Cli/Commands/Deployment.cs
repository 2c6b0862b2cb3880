using System.Globalization;
using Ferry.Serving.Sources;
using Ferry.Tracking;
using Ferry.Tracking.Registry;

namespace Ferry.Cli.Commands;

/// <summary>The registry changes behind <c>ferry deploy</c>, each checked against the model's versions first.</summary>
internal sealed class Deployment(IModelRegistry registry, RegisteredModel model)
{
    private readonly List<string> _done = [];

    /// <summary>What was changed, one line each.</summary>
    public IReadOnlyList<string> Done => _done;

    private int? Champion => model.Aliases.FirstOrDefault(a => a.Alias == DeploymentTags.Champion)?.Version;

    public async Task SetChampionAsync(int version, CancellationToken ct)
    {
        await CheckAsync(version, ct);
        if (Champion is { } current && current != version)
        {
            await registry.SetRegisteredModelTagAsync(model.Name, DeploymentTags.Previous, current.ToString(CultureInfo.InvariantCulture), ct);
        }

        await registry.SetRegisteredModelAliasAsync(model.Name, DeploymentTags.Champion, version, ct);
        await DropCanaryIfAsync(version, ct);
        _done.Add($"{model.Name}@champion → version {version}");
    }

    public async Task SetCanaryAsync(int version, double percent, CancellationToken ct)
    {
        await CheckAsync(version, ct);
        if (version == Champion)
        {
            throw FerryException.Usage("DEPLOY_OPTION_INVALID", $"version {version} is already the champion; a canary must be another version");
        }

        await registry.SetRegisteredModelTagAsync(model.Name, DeploymentTags.CanaryWeight, percent.ToString(CultureInfo.InvariantCulture), ct);
        await registry.SetRegisteredModelTagAsync(model.Name, DeploymentTags.Canary, version.ToString(CultureInfo.InvariantCulture), ct);
        _done.Add($"canary: version {version} takes {percent.ToString(CultureInfo.InvariantCulture)}% of {model.Name}'s traffic");
    }

    public async Task PromoteAsync(CancellationToken ct)
    {
        var canary = DeploymentTags.ReadCanary(model.Tags, out _)?.Version;
        var target = canary ?? model.Aliases.FirstOrDefault(a => a.Alias == DeploymentTags.Challenger)?.Version
            ?? throw FerryException.Usage("NOTHING_TO_PROMOTE", $"{model.Name} has no canary and no challenger alias; give --canary VERSION first, or --champion VERSION");
        await SetChampionAsync(target, ct);
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        if (DeploymentTags.ReadCanary(model.Tags, out _) is { } canary)
        {
            await DropCanaryAsync(ct);
            _done.Add($"canary version {canary.Version} dropped: the champion takes all traffic again");
            return;
        }

        var previous = model.Tags.FirstOrDefault(t => t.Key == DeploymentTags.Previous)?.Value;
        if (previous is null || !int.TryParse(previous, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw FerryException.Usage("NOTHING_TO_ROLL_BACK", $"{model.Name} has no canary and no earlier champion recorded; point the alias yourself with --champion VERSION");
        }

        await SetChampionAsync(version, ct);
    }

    public async Task SetShadowAsync(int version, double percent, CancellationToken ct)
    {
        await CheckAsync(version, ct);
        await registry.SetRegisteredModelTagAsync(model.Name, DeploymentTags.ShadowShare, percent.ToString(CultureInfo.InvariantCulture), ct);
        await registry.SetRegisteredModelTagAsync(model.Name, DeploymentTags.Shadow, version.ToString(CultureInfo.InvariantCulture), ct);
        _done.Add($"shadow: version {version} gets a copy of {percent.ToString(CultureInfo.InvariantCulture)}% of {model.Name}'s traffic");
    }

    public async Task StopShadowAsync(CancellationToken ct)
    {
        await DeleteTagAsync(DeploymentTags.Shadow, ct);
        await DeleteTagAsync(DeploymentTags.ShadowShare, ct);
        _done.Add("shadow stopped");
    }

    private async Task CheckAsync(int version, CancellationToken ct)
    {
        try
        {
            await registry.GetModelVersionAsync(model.Name, version, ct);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound("MODEL_NOT_FOUND", $"model '{model.Name}' has no version {version}; `ferry models show {model.Name}` lists its versions");
        }
    }

    private async Task DropCanaryIfAsync(int promoted, CancellationToken ct)
    {
        if (DeploymentTags.ReadCanary(model.Tags, out _)?.Version == promoted)
        {
            await DropCanaryAsync(ct);
        }
    }

    private async Task DropCanaryAsync(CancellationToken ct)
    {
        await DeleteTagAsync(DeploymentTags.Canary, ct);
        await DeleteTagAsync(DeploymentTags.CanaryWeight, ct);
    }

    private async Task DeleteTagAsync(string key, CancellationToken ct)
    {
        if (model.Tags.Any(t => t.Key == key))
        {
            await registry.DeleteRegisteredModelTagAsync(model.Name, key, ct);
        }
    }
}
