using System.Globalization;
using System.Text.Json;
using Ferry.Serving;
using Ferry.Serving.Protocols;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Hosting.Serving;

/// <summary>
/// The serving endpoints: the Open Inference Protocol (KServe v2) under <c>/v2</c>, TF Serving's records style under
/// <c>/v1/models</c>, MLflow's scoring endpoint <c>/invocations</c>, Prometheus <c>/metrics</c> and feedback. Every
/// handler is stateless: it asks the inference service for a version, decodes with that version's codec, predicts
/// and encodes.
/// </summary>
internal static class ServingRoutes
{
    /// <summary>The header that keeps a caller on one side of a canary split.</summary>
    public const string RoutingKeyHeader = "X-Routing-Key";

    public static void Map(WebApplication app)
    {
        var host = app.Services.GetRequiredService<ServingHost>();
        var call = new ServingCall(host, new ApiKeys(host.Options));
        var codecs = new Codecs(host.Options.Input);
        var handlers = new ServingHandlers(host, codecs);

        app.MapGet("/v2/health/live", () => Results.Json(new { live = true }));
        app.MapGet("/v2/health/ready", () => host.Manager.IsReady
            ? Results.Json(new { ready = true })
            : Results.Json(new { ready = false, reason = NotReadyReason(host) }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/v2", () => Results.Json(new { name = "ferry", version = TrackingServer.Version, extensions = Array.Empty<string>() }));
        foreach (var prefix in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            app.MapGet(prefix, (HttpContext c, string name, string? version) =>
                call.RunAsync(c, Scope.Inference, "v2", name, (_, _) => Task.FromResult(handlers.Metadata(name, ParseVersion(version)))));
            app.MapGet(prefix + "/ready", (HttpContext c, string name, string? version) =>
                call.RunAsync(c, Scope.Inference, "v2", name, (_, _) => Task.FromResult(handlers.Ready(name, ParseVersion(version)))));
            app.MapPost(prefix + "/infer", (HttpContext c, string name, string? version) =>
                call.RunAsync(c, Scope.Inference, "v2", name, (body, ct) => handlers.InferAsync(c, new ModelRequest(name, ParseVersion(version)), body, ct)));
        }

        foreach (var prefix in new[] { "/v1/models/{name}", "/v1/models/{name}/versions/{version}", "/v1/models/{name}/labels/{label}" })
        {
            app.MapGet(prefix, (HttpContext c, string name, string? version, string? label) =>
                call.RunAsync(c, Scope.Inference, "v1", name, (_, _) => Task.FromResult(handlers.Status(name, ParseVersion(version), label))));
            app.MapPost(prefix + ":predict", (HttpContext c, string name, string? version, string? label) =>
                call.RunAsync(c, Scope.Inference, "v1", name, (body, ct) => handlers.PredictAsync(c, new ModelRequest(name, ParseVersion(version), label), body, ct)));
        }

        app.MapPost("/invocations", (HttpContext c, string? model) =>
            call.RunAsync(c, Scope.Inference, "mlflow", model, (body, ct) => handlers.InvocationsAsync(c, model, body, ct)));
        app.MapPost("/models/{name}/invocations", (HttpContext c, string name) =>
            call.RunAsync(c, Scope.Inference, "mlflow", name, (body, ct) => handlers.InvocationsAsync(c, name, body, ct)));
        app.MapGet("/ping", () => host.Manager.IsReady ? Results.Text("\n") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapPost("/v1/feedback", (Delegate)((HttpContext c) =>
            call.RunAsync(c, Scope.Inference, "feedback", null, (body, ct) => handlers.FeedbackAsync(body, ct))));
        app.MapPost("/v2/repository/index", (Delegate)((HttpContext c) =>
            call.RunAsync(c, Scope.Management, "repository", null, (_, _) => Task.FromResult(handlers.Index()))));
        app.MapPost("/v2/repository/models/{name}/load", (HttpContext c, string name) =>
            call.RunAsync(c, Scope.Management, "repository", name, (_, ct) => handlers.ReloadAsync(name, ct)));
        app.MapGet("/metrics", async (HttpContext c) =>
        {
            c.Response.ContentType = Ferry.Serving.Metrics.ServingMetrics.ContentType;
            await host.Metrics.WriteAsync(c.Response.Body, c.RequestAborted);
        });
    }

    /// <summary>Why the server is not ready: the source cannot be read, a version failed to load, or models are still loading.</summary>
    private static string NotReadyReason(ServingHost host)
    {
        var manager = host.Manager;
        if (manager.SourceError is { } error)
        {
            return error;
        }

        var waiting = manager.Targets.Where(t => !manager.Routes.ContainsKey(t.Model)).Select(t => t.Model).ToList();
        var failures = manager.Failures.Where(f => waiting.Contains(f.Id.Model)).Select(f => $"{f.Id} failed to load: {f.Reason}").ToList();
        return failures.Count > 0 ? string.Join("; ", failures)
            : waiting.Count > 0 ? "loading " + string.Join(", ", waiting)
            : "reading " + manager.Source.Description;
    }

    /// <summary>A version from the path: a positive whole number, or a 400 naming it.</summary>
    private static int? ParseVersion(string? version)
    {
        if (version is null)
        {
            return null;
        }

        return int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw FerryException.Invalid(InputErrorsCode, $"the version in the path is '{version}'; give a version number such as 3");
    }

    private const string InputErrorsCode = "INPUT_INVALID";

    /// <summary>Serialises a small reply object.</summary>
    public static Reply Json(object value, int? version = null, int status = StatusCodes.Status200OK) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value), version, status);
}
