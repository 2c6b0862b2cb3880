using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Ferry.Hosting.Serving;
using Ferry.Serving.Tests;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Hosting.Tests.Serving;

/// <summary>A real Kestrel model server on a free 127.0.0.1 port serving a model folder, over a fresh SQLite store.</summary>
public sealed class ServingFixture : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServingFixture(WebApplication app, DirectoryInfo folder, HttpClient client)
    {
        _app = app;
        Folder = folder;
        Client = client;
    }

    public HttpClient Client { get; }

    public DirectoryInfo Folder { get; }

    public string Models => Path.Combine(Folder.FullName, "models");

    internal ServingHost Host => (ServingHost)_app.Services.GetService(typeof(ServingHost))!;

    /// <summary>Starts a server over a models folder holding <paramref name="models"/> (name, version, package).</summary>
    internal static async Task<ServingFixture> StartAsync(IEnumerable<(string Model, int Version, ServingPackage Package)> models, Func<ServingOptions, ServingOptions>? configure = null, bool tracking = false)
    {
        var folder = Directory.CreateTempSubdirectory("ferry-serving-");
        foreach (var (model, version, package) in models)
        {
            ServingPackages.CopyTo(package, Path.Combine(folder.FullName, "models", model, version.ToString(CultureInfo.InvariantCulture)));
        }

        var serving = new ServingOptions
        {
            ModelsFolder = Path.Combine(folder.FullName, "models"),
            KeepLatest = 2,
            Manager = new Ferry.Serving.Management.ManagerOptions { PollInterval = TimeSpan.FromMilliseconds(100), WarmupRuns = 1 },
        };
        var app = TrackingServer.Build(new TrackingServerOptions
        {
            StoreUri = Path.Combine(folder.FullName, "ferry.db"),
            ArtifactStoreUri = Path.Combine(folder.FullName, "artifacts"),
            Port = 0,
            Tracking = tracking,
            Serving = configure?.Invoke(serving) ?? serving,
        });
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var fixture = new ServingFixture(app, folder, client);
        await fixture.WaitReadyAsync();
        return fixture;
    }

    /// <summary>Waits until <c>/v2/health/ready</c> says every model serves.</summary>
    public async Task WaitReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await Client.GetAsync("/v2/health/ready", timeout.Token)).IsSuccessStatusCode)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async Task<Reply> PostAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), Headers(response));
    }

    public async Task<Reply> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), Headers(response));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Folder.Delete(recursive: true);
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
}
