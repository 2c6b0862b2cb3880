using System.Runtime.ExceptionServices;
using Ferry.Tracking.Artifacts;

namespace Ferry.Tracking.Client.Remote;

/// <summary>
/// Artifacts kept behind a tracking server's artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts/…</c>, what
/// <c>mlflow-artifacts:</c> locations name), rooted at one folder of it such as a run's <c>&lt;exp&gt;/&lt;run&gt;/artifacts</c>.
/// Files stream in both directions and are never held whole in memory. Paths are checked here with
/// <see cref="ArtifactPath.Normalize"/> before anything is sent, and errors name them relative to this store's root.
/// </summary>
public sealed class HttpArtifactStore : IArtifactStore
{
    /// <summary>Where the artifact proxy lives under the server URL.</summary>
    public const string ProxyPath = "api/2.0/mlflow-artifacts/artifacts";

    private readonly ServerConnection _server;
    private readonly bool _ownsServer;

    /// <summary>Opens the proxy of the server at <paramref name="serverUrl"/> with an HTTP client of its own, disposed with the store.</summary>
    /// <param name="serverUrl">Where <c>ferry server</c> listens, for example <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="root">The proxy folder this store is rooted at, for example <c>1/&lt;run id&gt;/artifacts</c>; null or empty for the proxy's root.</param>
    /// <param name="time">The clock retries wait on.</param>
    /// <exception cref="FerryException">SERVER_URL_INVALID for a URL that is not absolute http(s); INVALID_PARAMETER_VALUE for a bad root.</exception>
    public HttpArtifactStore(Uri serverUrl, string? root, TimeProvider time)
        : this(new ServerConnection(ServerConnection.CreateHttpClient(), ownsHttp: true, serverUrl, time, RetryPolicy.Default), ArtifactPath.Normalize(root, isFolder: true), ownsServer: true)
    {
    }

    internal HttpArtifactStore(ServerConnection server, string root, bool ownsServer)
    {
        _server = server;
        _ownsServer = ownsServer;
        Root = root;
    }

    /// <summary>The server's URL (ending with '/').</summary>
    public Uri ServerUrl => _server.BaseUri;

    /// <summary>The proxy folder this store is rooted at; empty for the proxy's root.</summary>
    public string Root { get; }

    /// <inheritdoc />
    /// <remarks>A seekable <paramref name="content"/> is sent with its length and retried on transient failures; any other is sent chunked, once.</remarks>
    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var uri = FileUri(ArtifactPath.Normalize(path));
        var start = content.CanSeek ? content.Position : -1;
        try
        {
            await SendAsync(
                () =>
                {
                    if (start >= 0)
                    {
                        // Each try sends the same bytes.
                        content.Position = start;
                    }

                    return new HttpRequestMessage(HttpMethod.Put, uri) { Content = new UploadContent(content, start >= 0 ? content.Length - start : -1) };
                },
                // A stream that cannot rewind can only be tried again when the first try never reached the server.
                start >= 0 ? RetryMode.Idempotent : RetryMode.Unsent,
                (r, t) => ServerConnection.ReadJsonAsync(r, RestJson.Default.EmptyReply, t),
                timed: false,
                cancellationToken).ConfigureAwait(false);
        }
        catch (SourceFailedException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerException!);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var uri = FileUri(ArtifactPath.Normalize(path));
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent, ResponseStream.OpenAsync, timed: true, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? folder, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(folder, isFolder: true);
        var full = Combine(Root, relative);
        var uri = new Uri(_server.BaseUri, ProxyPath + ServerConnection.QueryString([("path", full.Length == 0 ? null : full)]));
        var reply = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent,
            (r, t) => ServerConnection.ReadJsonAsync(r, RestJson.Default.ListArtifactsReply, t), timed: true, cancellationToken).ConfigureAwait(false);
        var entries = new List<ArtifactEntry>();
        foreach (var file in reply.Files ?? [])
        {
            // The proxy names children relative to the folder listed; a name that would leave it is not trusted.
            var name = file.Path is { Length: > 0 } p && !p.Contains('/', StringComparison.Ordinal) ? p : throw ServerErrors.BadReply(
                $"listing artifact folder '{relative}' gave the entry '{file.Path}', which is not a name inside it");
            var path = Combine(relative, ArtifactPath.Normalize(name));
            entries.Add(file.IsDir ? new ArtifactEntry(path, true, null) : new ArtifactEntry(path, false, file.FileSize ?? 0));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path, isFolder: true);
        if (relative.Length == 0)
        {
            throw FerryException.Invalid(
                "INVALID_PARAMETER_VALUE", "artifact path '' names the artifact root, which cannot be deleted; give a file or folder inside it");
        }

        var uri = FileUri(relative);
        await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, uri), RetryMode.Idempotent,
            (r, t) => ServerConnection.ReadJsonAsync(r, RestJson.Default.EmptyReply, t), timed: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the HTTP client if this store created it; a store opened from a <see cref="RestTrackingStore"/> leaves the shared one open.</summary>
    public void Dispose()
    {
        if (_ownsServer)
        {
            _server.Dispose();
        }
    }

    /// <summary>The proxy URL of a file or folder under the root, each segment escaped (names may hold '+', '&amp;', '%', spaces…).</summary>
    private Uri FileUri(string relative) =>
        new(_server.BaseUri, ProxyPath + "/" + string.Join('/', Combine(Root, relative).Split('/').Select(Uri.EscapeDataString)));

    /// <summary>Joins a folder (possibly the root, "") and a path inside it, both already normalised.</summary>
    private static string Combine(string folder, string relative) =>
        folder.Length == 0 ? relative : relative.Length == 0 ? folder : folder + "/" + relative;

    private async Task<T> SendAsync<T>(
        Func<HttpRequestMessage> build, RetryMode mode, Func<HttpResponseMessage, CancellationToken, Task<T>> read, bool timed, CancellationToken cancellationToken)
    {
        try
        {
            return await _server.SendAsync(build, mode, read, cancellationToken, timed).ConfigureAwait(false);
        }
        catch (FerryException e) when (Root.Length > 0 && e.Message.Contains($"'{Root}/", StringComparison.Ordinal))
        {
            // The server names paths from the proxy's root; the caller knows them from this store's root.
            throw new FerryException(e.Kind, e.Code, e.Message.Replace($"'{Root}/", "'", StringComparison.Ordinal), e.Location, e);
        }
    }
}
