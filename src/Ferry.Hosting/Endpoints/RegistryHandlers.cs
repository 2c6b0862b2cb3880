using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.Registry;

namespace Ferry.Hosting.Endpoints;

/// <summary>MLflow's <c>registered-models/*</c> and <c>model-versions/*</c> endpoints, over the store's model registry.</summary>
internal static class RegistryHandlers
{
    private const string RunsScheme = "runs:/";

    public static async Task<object> CreateModelAsync(TrackingCall call)
    {
        var m = call.Message;
        var model = await Registry(call).CreateRegisteredModelAsync(
            m.RequiredString("name"), m.String("description"), RegistryWireMapper.RegistryTags(m, "tags"), call.CancellationToken);
        return new RegisteredModelResponse(RegistryWireMapper.ToWire(model));
    }

    public static async Task<object> GetModelAsync(TrackingCall call)
    {
        var model = await Registry(call).GetRegisteredModelAsync(call.Message.RequiredString("name"), call.CancellationToken);
        return new RegisteredModelResponse(RegistryWireMapper.ToWire(model));
    }

    public static async Task<object> RenameModelAsync(TrackingCall call)
    {
        var m = call.Message;
        var model = await Registry(call).RenameRegisteredModelAsync(m.RequiredString("name"), m.RequiredString("new_name"), call.CancellationToken);
        return new RegisteredModelResponse(RegistryWireMapper.ToWire(model));
    }

    public static async Task<object> UpdateModelAsync(TrackingCall call)
    {
        var m = call.Message;
        var model = await Registry(call).UpdateRegisteredModelAsync(m.RequiredString("name"), m.String("description"), call.CancellationToken);
        return new RegisteredModelResponse(RegistryWireMapper.ToWire(model));
    }

    public static async Task<object> DeleteModelAsync(TrackingCall call)
    {
        await Registry(call).DeleteRegisteredModelAsync(call.Message.RequiredString("name"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> SearchModelsAsync(TrackingCall call)
    {
        var m = call.Message;
        var page = await Registry(call).SearchRegisteredModelsAsync(
            ExperimentHandlers.NullIfEmpty(m.String("filter")), MaxResults(m, TrackingLimits.DefaultRegisteredModelSearchResults),
            m.Strings("order_by"), ExperimentHandlers.NullIfEmpty(m.String("page_token")), call.CancellationToken);
        return new SearchRegisteredModelsResponse(
            WireMapper.NullIfEmpty(page.Items.Select(RegistryWireMapper.ToWire).ToList()), page.NextPageToken);
    }

    public static async Task<object> SetModelTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).SetRegisteredModelTagAsync(m.RequiredString("name"), m.RequiredString("key"), m.RequiredString("value"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> DeleteModelTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).DeleteRegisteredModelTagAsync(m.RequiredString("name"), m.RequiredString("key"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> SetAliasAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).SetRegisteredModelAliasAsync(
            m.RequiredString("name"), m.RequiredString("alias"), RegistryWireMapper.VersionNumber(m), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> DeleteAliasAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).DeleteRegisteredModelAliasAsync(m.RequiredString("name"), m.RequiredString("alias"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> GetVersionByAliasAsync(TrackingCall call)
    {
        var m = call.Message;
        var version = await Registry(call).GetModelVersionByAliasAsync(m.RequiredString("name"), m.RequiredString("alias"), call.CancellationToken);
        return new ModelVersionResponse(RegistryWireMapper.ToWire(version, withAliases: true));
    }

    public static async Task<object> GetLatestVersionsAsync(TrackingCall call)
    {
        var m = call.Message;
        var stages = m.Strings("stages").Select(s => ModelStages.Parse(s, "stages")).ToList();
        var versions = await Registry(call).GetLatestVersionsAsync(m.RequiredString("name"), stages, call.CancellationToken);
        return new ModelVersionsResponse(WireMapper.NullIfEmpty(versions.Select(v => RegistryWireMapper.ToWire(v, withAliases: false)).ToList()));
    }

    public static async Task<object> CreateVersionAsync(TrackingCall call)
    {
        var m = call.Message;
        var version = await Registry(call).CreateModelVersionAsync(
            new CreateModelVersionRequest(
                m.RequiredString("name"),
                m.RequiredString("source"),
                ExperimentHandlers.NullIfEmpty(m.String("run_id")),
                m.String("description"),
                RegistryWireMapper.RegistryTags(m, "tags"),
                m.String("run_link"),
                ModelId: ExperimentHandlers.NullIfEmpty(m.String("model_id"))),
            call.CancellationToken);
        return new ModelVersionResponse(RegistryWireMapper.ToWire(version, withAliases: true));
    }

    public static async Task<object> GetVersionAsync(TrackingCall call)
    {
        var m = call.Message;
        var version = await Registry(call).GetModelVersionAsync(m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), call.CancellationToken);
        return new ModelVersionResponse(RegistryWireMapper.ToWire(version, withAliases: true));
    }

    public static async Task<object> UpdateVersionAsync(TrackingCall call)
    {
        var m = call.Message;
        var version = await Registry(call).UpdateModelVersionAsync(
            m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), m.String("description"), call.CancellationToken);
        return new ModelVersionResponse(RegistryWireMapper.ToWire(version, withAliases: true));
    }

    public static async Task<object> DeleteVersionAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).DeleteModelVersionAsync(m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> TransitionStageAsync(TrackingCall call)
    {
        var m = call.Message;
        var name = m.RequiredString("name");
        var number = RegistryWireMapper.VersionNumber(m);
        var stage = ModelStages.Parse(m.RequiredString("stage"));
        var version = await Registry(call).TransitionModelVersionStageAsync(
            name, number, stage, m.Bool("archive_existing_versions") ?? false, call.CancellationToken);
        return new ModelVersionResponse(RegistryWireMapper.ToWire(version, withAliases: true));
    }

    public static async Task<object> SearchVersionsAsync(TrackingCall call)
    {
        var m = call.Message;
        var page = await Registry(call).SearchModelVersionsAsync(
            ExperimentHandlers.NullIfEmpty(m.String("filter")), MaxResults(m, TrackingLimits.DefaultModelVersionSearchResults),
            m.Strings("order_by"), ExperimentHandlers.NullIfEmpty(m.String("page_token")), call.CancellationToken);
        return new SearchModelVersionsResponse(
            WireMapper.NullIfEmpty(page.Items.Select(v => RegistryWireMapper.ToWire(v, withAliases: false)).ToList()), page.NextPageToken);
    }

    public static async Task<object> SetVersionTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).SetModelVersionTagAsync(
            m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), m.RequiredString("key"), m.RequiredString("value"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> DeleteVersionTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await Registry(call).DeleteModelVersionTagAsync(
            m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), m.RequiredString("key"), call.CancellationToken);
        return new EmptyResponse();
    }

    public static async Task<object> GetDownloadUriAsync(TrackingCall call)
    {
        var m = call.Message;
        var source = await Registry(call).GetModelVersionDownloadUriAsync(m.RequiredString("name"), RegistryWireMapper.VersionNumber(m), call.CancellationToken);
        return new DownloadUriResponse(await ResolveRunsUriAsync(call, source));
    }

    /// <summary>
    /// MLflow hands out where the files really are: <c>runs:/{run_id}/{path}</c> becomes the run's artifact URI plus the path,
    /// which the client can download from. Other sources (and a runs URI whose run is gone) are returned as registered.
    /// </summary>
    private static async Task<string> ResolveRunsUriAsync(TrackingCall call, string source)
    {
        if (!source.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            return source;
        }

        var rest = source[RunsScheme.Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        try
        {
            var run = await call.Store.GetRunAsync(runId, call.CancellationToken);
            return path.Length == 0 ? run.Info.ArtifactUri : run.Info.ArtifactUri.TrimEnd('/') + "/" + path;
        }
        catch (FerryException e) when (e.Kind == ErrorKind.NotFound)
        {
            return source;
        }
    }

    /// <summary>The page size asked for; the registry checks its own limits and names max_results when one is broken.</summary>
    private static int MaxResults(WireMessage m, int fallback) => (int)Math.Clamp(m.Int64("max_results") ?? fallback, int.MinValue, int.MaxValue);

    /// <summary>Every Ferry store keeps the registry beside the tracking data; one that does not cannot serve these endpoints.</summary>
    private static IModelRegistry Registry(TrackingCall call) =>
        call.Store as IModelRegistry ?? throw new InvalidOperationException($"the store {call.Store.GetType().Name} has no model registry");
}
