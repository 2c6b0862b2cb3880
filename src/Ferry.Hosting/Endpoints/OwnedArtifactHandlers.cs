using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.LoggedModels;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Endpoints;

/// <summary>
/// Artifacts reached through what owns them rather than by proxy path: a logged model's files
/// (<c>logged-models/{id}/artifacts/directories</c> and <c>…/files</c>, which MLflow 3's UI and clients use) and a run's
/// (<c>artifacts/list</c>, which clients call when a run's artifact URI is not <c>mlflow-artifacts:</c>). An owner whose
/// location is <c>mlflow-artifacts:/p</c> is served from <c>p</c> in the proxy's store, as MLflow's server does; any other
/// location is opened as it is.
/// </summary>
internal sealed class OwnedArtifactHandlers(IArtifactStore proxied, string proxiedRootUri, TrackingStoreHost stores, TrackingServerOptions options)
{
    /// <summary><c>GET logged-models/{model_id}/artifacts/directories?artifact_directory_path=</c>: one folder of a logged model.</summary>
    public async Task ListModelAsync(HttpContext context)
    {
        var message = await WireBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        var folder = ArtifactPath.Normalize(message.String("artifact_directory_path"), isFolder: true);
        var model = await Models().GetLoggedModelAsync(ModelId(context), context.RequestAborted);
        await ListAsync(context, model.ArtifactUri, folder);
    }

    /// <summary><c>GET logged-models/{model_id}/artifacts/files?artifact_file_path=</c>: one file of a logged model, streamed.</summary>
    public async Task DownloadModelFileAsync(HttpContext context)
    {
        var path = context.Request.Query["artifact_file_path"].ToString();
        if (path.Length == 0)
        {
            // MLflow answers this one with BAD_REQUEST rather than INVALID_PARAMETER_VALUE.
            throw FerryException.Invalid("BAD_REQUEST", "Request must include the \"artifact_file_path\" query parameter.");
        }

        var relative = ArtifactPath.Normalize(path);
        var model = await Models().GetLoggedModelAsync(ModelId(context), context.RequestAborted);
        var (store, root, owned) = Locate(model.ArtifactUri);
        try
        {
            await ArtifactHandlers.SendFileAsync(context, store, Join(root, relative));
        }
        finally
        {
            if (owned)
            {
                store.Dispose();
            }
        }
    }

    /// <summary><c>GET artifacts/list?run_id=&amp;path=</c>: one folder of a run's artifacts, paths relative to the run's root.</summary>
    public async Task ListRunAsync(HttpContext context)
    {
        var message = await WireBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        var runId = ExperimentHandlers.NullIfEmpty(message.String("run_id")) ?? ExperimentHandlers.NullIfEmpty(message.String("run_uuid"))
            ?? throw WireErrors.Invalid("Missing value for required parameter 'run_id'");
        var folder = ArtifactPath.Normalize(message.String("path"), isFolder: true);
        var run = await stores.Store.GetRunAsync(runId, context.RequestAborted);
        await ListAsync(context, run.Info.ArtifactUri, folder);
    }

    /// <summary>Lists <paramref name="folder"/> under an owner's location as MLflow's <c>ListArtifacts</c> response: paths relative to the location.</summary>
    private async Task ListAsync(HttpContext context, string location, string folder)
    {
        var (store, root, owned) = Locate(location);
        try
        {
            var entries = await store.ListAsync(Join(root, folder), context.RequestAborted);
            var files = entries
                .Select(e => new WireFileInfo(Join(folder, e.Path[(e.Path.LastIndexOf('/') + 1)..]), e.IsDirectory, e.IsDirectory ? null : e.Size))
                .ToList();
            await ArtifactHandlers.WriteJsonAsync(context, new OwnedArtifactsResponse(location, WireMapper.NullIfEmpty(files)));
        }
        finally
        {
            if (owned)
            {
                store.Dispose();
            }
        }
    }

    /// <summary>The store holding a location's files and the folder in it; <c>Owned</c> when it was opened for this call and must be disposed.</summary>
    private (IArtifactStore Store, string Root, bool Owned) Locate(string location) =>
        location.StartsWith(ArtifactLocations.ProxyScheme, StringComparison.Ordinal)
            ? (proxied, ArtifactPath.Normalize(location[ArtifactLocations.ProxyScheme.Length..].TrimStart('/'), isFolder: true), false)
            : (ArtifactLocations.Open(location, proxiedRootUri), "", true);

    private ILoggedModelStore Models() =>
        stores.Store as ILoggedModelStore ?? throw WireErrors.Invalid("this server's tracking store does not keep logged models");

    private static string ModelId(HttpContext context) =>
        context.Request.RouteValues["model_id"] as string ?? throw WireErrors.Invalid("Missing value for required parameter 'model_id'");

    private static string Join(string folder, string path) => folder.Length == 0 ? path : path.Length == 0 ? folder : folder + "/" + path;
}
