using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Hosting.Tests;

/// <summary>A real Kestrel tracking server on a free 127.0.0.1 port over a fresh SQLite store in a temp folder.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _folder;

    private ServerFixture(WebApplication app, DirectoryInfo folder, HttpClient client)
    {
        _app = app;
        _folder = folder;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<ServerFixture> StartAsync(long maxBodyBytes = TrackingServerOptions.DefaultMaxRequestBodyBytes)
    {
        var folder = Directory.CreateTempSubdirectory("ferry-server-");
        var app = TrackingServer.Build(new TrackingServerOptions
        {
            StoreUri = Path.Combine(folder.FullName, "ferry.db"),
            ArtifactStoreUri = Path.Combine(folder.FullName, "artifacts"),
            Port = 0,
            MaxRequestBodyBytes = maxBodyBytes,
        });
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new ServerFixture(app, folder, client);
    }

    public Task<Reply> PostAsync(string path, object body) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body));

    public Task<Reply> PostRawAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<Reply> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery, null);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') ? path : "/api/2.0/mlflow/" + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>Creates an experiment and returns its id.</summary>
    public async Task<string> CreateExperimentAsync(string name)
    {
        var reply = await PostAsync("experiments/create", new { name });
        return reply.Ok()["experiment_id"]!.GetValue<string>();
    }

    /// <summary>Starts a run and returns its id.</summary>
    public async Task<string> CreateRunAsync(string experimentId, string? runName = null)
    {
        var reply = await PostAsync("runs/create", new { experiment_id = experimentId, user_id = "tester", run_name = runName, start_time = 1000 });
        return reply.Ok()["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}

/// <summary>A response: status, media type, body text and (where read) headers.</summary>
public sealed record Reply(HttpStatusCode Status, string? MediaType, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    /// <summary>The JSON body of a 200, failing with the body otherwise.</summary>
    public JsonObject Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        return Json!.AsObject();
    }

    /// <summary>Checks MLflow's error shape and returns the message.</summary>
    public string Error(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Body}");
        Assert.Equal("application/json", MediaType);
        var json = Json!.AsObject();
        Assert.Equal(code, json["error_code"]!.GetValue<string>());
        return json["message"]!.GetValue<string>();
    }
}
