using Ferry.Hosting;
using Ferry.Tracking.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Tracking.Client.Tests.Remote;

/// <summary>
/// A real <c>ferry server</c> on a free 127.0.0.1 port over a SQLite file and an artifact folder of its own, with
/// direct access to both, so tests can check what a remote client stored without going through the client.
/// </summary>
public sealed class RemoteServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _folder;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private SqliteTrackingStore? _store;
    private int _stopped;

    private RemoteServer(WebApplication app, DirectoryInfo folder, Uri url, string artifactRoot)
    {
        _app = app;
        _folder = folder;
        Url = url;
        ArtifactRoot = artifactRoot;
    }

    /// <summary>The URL the server listens on, for example http://127.0.0.1:40123/.</summary>
    public Uri Url { get; }

    /// <summary>The server's SQLite file.</summary>
    public string StorePath => Path.Combine(_folder.FullName, "ferry.db");

    /// <summary>The folder the server's artifact proxy writes to.</summary>
    public string ArtifactsFolder => Path.Combine(_folder.FullName, "artifacts");

    /// <summary>Where the server puts new experiments' artifacts (its <c>--artifact-root</c>).</summary>
    public string ArtifactRoot { get; }

    /// <param name="time">The clock the server's store stamps times with; the system clock when null.</param>
    /// <param name="artifactRoot">The server's artifact root; MLflow's default (its own proxy) when null.</param>
    public static async Task<RemoteServer> StartAsync(TimeProvider? time = null, string? artifactRoot = null)
    {
        var folder = Directory.CreateTempSubdirectory("ferry-remote-");
        var options = new TrackingServerOptions
        {
            StoreUri = Path.Combine(folder.FullName, "ferry.db"),
            ArtifactStoreUri = Path.Combine(folder.FullName, "artifacts"),
            ArtifactRoot = artifactRoot ?? "mlflow-artifacts:/",
            Port = 0,
            Time = time ?? TimeProvider.System,
        };
        var app = TrackingServer.Build(options);
        await app.StartAsync();
        return new RemoteServer(app, folder, new Uri(app.Urls.First()), options.ArtifactRoot);
    }

    /// <summary>The server's own store, opened on its SQLite file beside the server (not through it).</summary>
    public async Task<SqliteTrackingStore> StoreAsync()
    {
        await _opening.WaitAsync();
        try
        {
            return _store ??= await SqliteTrackingStore.OpenAsync(
                StorePath, new TrackingStoreOptions { ArtifactRoot = ArtifactRoot }, TimeProvider.System, CancellationToken.None);
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>The file the proxy stored at <paramref name="proxyPath"/> (as in <c>mlflow-artifacts:/&lt;proxyPath&gt;</c>).</summary>
    public string ArtifactFile(string proxyPath) => Path.Combine(ArtifactsFolder, proxyPath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Stops the server; the files stay until <see cref="DisposeAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await StopAsync();
        await _app.DisposeAsync();
        _opening.Dispose();
        _folder.Delete(recursive: true);
    }
}
