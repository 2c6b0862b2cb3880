using System.Text.Json;
using Ferry.Hosting.Wire;
using Ferry.Tracking.Artifacts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Ferry.Hosting.Endpoints;

/// <summary>
/// MLflow's artifact proxy (<c>mlflow server --serve-artifacts</c>): clients whose run artifact_uri is
/// <c>mlflow-artifacts:/…</c> upload, download, list and delete files through these endpoints. Paths are relative to
/// the artifact store's root; files stream through in both directions and are never held whole in memory.
/// </summary>
internal static class ArtifactHandlers
{
    // The extensions MLflow's server answers as text/plain (it guesses by name and serves text as plain text); the rest is binary.
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".log", ".json", ".yaml", ".yml", ".md", ".csv", ".tsv", ".py", ".cfg", ".ini", ".toml", ".xml", ".html", ".js", ".css", ".sh",
    };

    private static readonly HashSet<string> TextNames = new(StringComparer.Ordinal) { "MLmodel", "MLproject" };

    /// <summary><c>GET …/artifacts/{path}</c>: streams the file.</summary>
    public static Task DownloadAsync(HttpContext context, IArtifactStore store, string? path) =>
        SendFileAsync(context, store, ArtifactPath.Normalize(PathOf(context, path)));

    /// <summary>Streams the file at <paramref name="relative"/> (already checked) as an attachment, typed by its name as MLflow does.</summary>
    internal static async Task SendFileAsync(HttpContext context, IArtifactStore store, string relative)
    {
        var content = await store.OpenReadAsync(relative, context.RequestAborted);
        await using (content)
        {
            var name = relative[(relative.LastIndexOf('/') + 1)..];
            context.Response.ContentType = ContentType(name);
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = name }.ToString();
            try
            {
                context.Response.ContentLength = content.Length;
            }
            catch (NotSupportedException)
            {
                // A stream that cannot tell its length is sent chunked.
            }

            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary><c>PUT …/artifacts/{path}</c>: streams the request body into the store.</summary>
    public static async Task UploadAsync(HttpContext context, IArtifactStore store, string? path)
    {
        var relative = ArtifactPath.Normalize(PathOf(context, path));
        await store.UploadAsync(relative, context.Request.Body, context.RequestAborted);
        await WriteJsonAsync(context, new EmptyResponse());
    }

    /// <summary><c>DELETE …/artifacts/{path}</c>: deletes the file or folder.</summary>
    public static async Task DeleteAsync(HttpContext context, IArtifactStore store, string? path)
    {
        var relative = ArtifactPath.Normalize(PathOf(context, path), isFolder: true);
        if (relative.Length == 0)
        {
            throw WireErrors.Invalid("Missing value for required parameter 'path': the artifact root cannot be deleted");
        }

        await store.DeleteAsync(relative, context.RequestAborted);
        await WriteJsonAsync(context, new EmptyResponse());
    }

    /// <summary>
    /// <c>GET …/artifacts?path=</c>: the direct children of a folder, named relative to it. A file or a missing folder
    /// lists as <c>{}</c>, as in MLflow (the client tells files from folders that way before downloading).
    /// </summary>
    public static async Task ListAsync(HttpContext context, IArtifactStore store)
    {
        var folder = ArtifactPath.Normalize(context.Request.Query["path"].ToString(), isFolder: true);
        var entries = await store.ListAsync(folder, context.RequestAborted);
        var files = entries.Select(e => new WireFileInfo(Relative(folder, e.Path), e.IsDirectory, e.IsDirectory ? null : e.Size)).ToList();
        await WriteJsonAsync(context, new ListArtifactsResponse(WireMapper.NullIfEmpty(files)));
    }

    /// <summary>
    /// The artifact path as the client wrote it. The routed value keeps <c>%2F</c> encoded and comes after Kestrel has
    /// resolved dot segments, so it could hide a <c>..</c> the client sent; the raw request target shows it, and
    /// <see cref="ArtifactPath.Normalize"/> then refuses it as MLflow does.
    /// </summary>
    private static string PathOf(HttpContext context, string? routed) => PathOf(context, ArtifactRoutes.ArtifactsPrefix, routed);

    /// <summary>The path after <paramref name="prefix"/> as the client wrote it (see the overload above).</summary>
    internal static string PathOf(HttpContext context, string prefix, string? routed)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null)
        {
            var end = raw.IndexOfAny(['?', '#']);
            raw = end >= 0 ? raw[..end] : raw;
            if (raw.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(raw[(prefix.Length + 1)..]);
            }
        }

        return routed ?? "";
    }

    private static string Relative(string folder, string path) =>
        folder.Length > 0 && path.StartsWith(folder + "/", StringComparison.Ordinal) ? path[(folder.Length + 1)..] : path;

    internal static string ContentType(string name) =>
        TextNames.Contains(name) || TextExtensions.Contains(Path.GetExtension(name)) ? "text/plain" : "application/octet-stream";

    internal static Task WriteJsonAsync(HttpContext context, object response)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(response, response.GetType(), WireJson.Options), context.RequestAborted);
    }
}
