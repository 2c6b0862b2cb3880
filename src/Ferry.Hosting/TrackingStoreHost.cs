using Ferry.Tracking;
using Microsoft.Extensions.Hosting;

namespace Ferry.Hosting;

/// <summary>
/// Opens the tracking store when the server starts (so a bad store URI fails the start, and experiment "0"
/// exists before the first request) and closes it when the server stops.
/// </summary>
internal sealed class TrackingStoreHost(TrackingServerOptions options) : IHostedService, IAsyncDisposable
{
    private ITrackingStore? _store;

    /// <summary>The open store; only valid between start and stop.</summary>
    public ITrackingStore Store => _store ?? throw new InvalidOperationException("the tracking store is not open: the server has not started");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uri = options.ResolveStoreUri();
        if (!uri.Contains("://", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(uri))!);
        }

        _store = await StoreFactory.OpenAsync(uri, new TrackingStoreOptions { ArtifactRoot = options.ArtifactRoot }, options.Time, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var store = Interlocked.Exchange(ref _store, null);
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }
}
