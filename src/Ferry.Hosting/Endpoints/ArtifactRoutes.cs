using System.Text.Json;
using Ferry.Hosting.Wire;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.LoggedModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Hosting.Endpoints;

/// <summary>Maps the artifact proxy (<c>/api/2.0/mlflow-artifacts/</c>) and MLflow 3's logged-model endpoints.</summary>
internal static class ArtifactRoutes
{
    /// <summary>Where the artifact proxy lives; MLflow clients map <c>mlflow-artifacts:/p</c> to <c>{Prefix}/p</c>.</summary>
    public const string ArtifactsPrefix = "/api/2.0/mlflow-artifacts/artifacts";

    /// <summary>Where the logged-model endpoints live.</summary>
    public const string ApiPrefix = "/api/2.0/mlflow/";

    /// <summary>Every (verb, full route template) mapped here, for tools and tests that need to know what is served.</summary>
    public static IReadOnlyList<(string Verb, string Template)> All { get; } =
    [
        ("GET", ArtifactsPrefix),
        ("GET", ArtifactsPrefix + "/{**path}"),
        ("PUT", ArtifactsPrefix + "/{**path}"),
        ("DELETE", ArtifactsPrefix + "/{**path}"),
        .. MultipartUploadHandlers.Actions.Select(a => ("POST", $"{MultipartUploadHandlers.Prefix}/{a}/{{**path}}")),
        .. LoggedModelHandlers.Routes.Select(r => (r.Verb, ApiPrefix + r.Template)),
        ("GET", ApiPrefix + ModelDirectories),
        ("GET", ApiPrefix + ModelFiles),
        ("GET", AjaxPrefix + ModelFiles),
        ("GET", ApiPrefix + RunArtifacts),
    ];

    /// <summary>Where MLflow's UI calls its endpoints; of those Ferry serves only the logged-model file download, which MLflow serves only there.</summary>
    private const string AjaxPrefix = "/ajax-api/2.0/mlflow/";

    private const string ModelDirectories = "logged-models/{model_id}/artifacts/directories";
    private const string ModelFiles = "logged-models/{model_id}/artifacts/files";
    private const string RunArtifacts = "artifacts/list";

    /// <summary>
    /// Maps the routes. The artifact store is opened here, so a bad <see cref="TrackingServerOptions.ArtifactStoreUri"/>
    /// fails the build of the server, and is disposed when the server stops.
    /// </summary>
    public static void Map(WebApplication app, TrackingServerOptions options)
    {
        var artifacts = ArtifactStoreFactory.Open(options.ResolveArtifactStoreUri(), options.S3);
        app.Lifetime.ApplicationStopped.Register(artifacts.Dispose);
        app.MapGet(ArtifactsPrefix, (HttpContext context) => ArtifactHandlers.ListAsync(context, artifacts));
        app.MapGet(ArtifactsPrefix + "/{**path}", (HttpContext context, string? path) => ArtifactHandlers.DownloadAsync(context, artifacts, path));
        app.MapPut(ArtifactsPrefix + "/{**path}", (HttpContext context, string? path) => ArtifactHandlers.UploadAsync(context, artifacts, path));
        app.MapDelete(ArtifactsPrefix + "/{**path}", (HttpContext context, string? path) => ArtifactHandlers.DeleteAsync(context, artifacts, path));

        foreach (var action in MultipartUploadHandlers.Actions)
        {
            app.MapPost($"{MultipartUploadHandlers.Prefix}/{action}/{{**path}}", (HttpContext context, string? path) =>
                MultipartUploadHandlers.HandleAsync(context, action, path, options.MaxRequestBodyBytes));
        }

        var stores = app.Services.GetRequiredService<TrackingStoreHost>();
        var owned = new OwnedArtifactHandlers(artifacts, options.ResolveArtifactStoreUri(), stores, options);
        foreach (var prefix in TrackingRoutes.Prefixes)
        {
            app.MapGet(prefix + ModelDirectories, owned.ListModelAsync);
            app.MapGet(prefix + ModelFiles, owned.DownloadModelFileAsync);
            app.MapGet(prefix + RunArtifacts, owned.ListRunAsync);
        }

        app.MapGet(AjaxPrefix + ModelFiles, owned.DownloadModelFileAsync);
        foreach (var route in LoggedModelHandlers.Routes)
        {
            app.MapMethods(ApiPrefix + route.Template, [route.Verb], async (HttpContext context) =>
            {
                var cancellation = context.RequestAborted;
                var store = stores.Store as ILoggedModelStore
                    ?? throw WireErrors.Invalid("this server's tracking store does not keep logged models");
                var message = await WireBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, cancellation);
                var response = await route.Handler(new LoggedModelCall(message, context.Request.RouteValues, store, cancellation));
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(response, response.GetType(), WireJson.Options), cancellation);
            });
        }
    }
}
