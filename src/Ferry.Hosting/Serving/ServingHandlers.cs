using System.Globalization;
using System.Text.Json;
using Ferry.Serving;
using Ferry.Serving.Management;
using Ferry.Serving.Protocols;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Serving;

/// <summary>The serving endpoints' own work, one method per endpoint; <see cref="ServingCall"/> does the rest.</summary>
internal sealed class ServingHandlers(ServingHost host, Codecs codecs)
{
    private static readonly string[] FeedbackKeys = ["request_id", "label"];

    /// <summary>OIP model metadata: the signature as tensors, for the routed version or the one named.</summary>
    public Reply Metadata(string name, int? version)
    {
        var route = host.Inference.RouteOf(name);
        var servable = version is { } v ? Version(route, v) : route.Primary;
        var versions = version is null ? route.Versions.Keys.Order().ToList() : [servable.Id.Version];
        return new Reply(codecs.OpenInference(servable).EncodeMetadata(name, versions, servable.Flavor), servable.Id.Version);
    }

    /// <summary>OIP model readiness: 200 when the model (or version) serves, 503 while it loads.</summary>
    public Reply Ready(string name, int? version)
    {
        var ready = host.Manager.Routes.TryGetValue(name, out var route) && (version is not { } v || route.Versions.ContainsKey(v));
        if (!ready && route is null && !host.Manager.Targets.Any(t => t.Model == name))
        {
            throw ServingErrors.UnknownModel(name, host.Manager.Targets.Select(t => t.Model));
        }

        return ServingRoutes.Json(new { name, ready }, status: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>OIP inference.</summary>
    public async Task<Reply> InferAsync(HttpContext context, ModelRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var call = host.Inference.Begin(request, RoutingKey(context));
        var codec = codecs.OpenInference(call.Servable);
        var decoded = codec.Decode(body);
        var result = await host.Inference.PredictAsync(call, decoded.Features, context.TraceIdentifier, cancellationToken);
        // OIP echoes the request's id; one that sent none gets the server's, the same as the X-Request-Id header.
        return new Reply(codec.EncodeResponse(result.Predictions, result.Answered, decoded with { Id = decoded.Id ?? context.TraceIdentifier }), result.Answered.Version);
    }

    /// <summary>TF Serving's model status: every loaded version (or the one named) as AVAILABLE, failed ones with their error.</summary>
    public Reply Status(string name, int? version, string? label)
    {
        var route = host.Manager.Routes.GetValueOrDefault(name);
        var failures = host.Manager.Failures.Where(f => f.Id.Model == name).ToList();
        if (route is null && failures.Count == 0 && !host.Manager.Targets.Any(t => t.Model == name))
        {
            throw ServingErrors.UnknownModel(name, host.Manager.Targets.Select(t => t.Model));
        }

        var wanted = version ?? (label is null ? null : route?.Labels.GetValueOrDefault(label) ?? throw FerryException.NotFound(
            ServingErrors.ModelNotFound, $"model '{name}' has no label '{label}' on a loaded version"));
        var states = (route?.Versions.Keys ?? []).Select(v => (Version: v, State: "AVAILABLE", Code: "OK", Message: ""))
            .Concat(failures.Select(f => (Version: f.Id.Version, State: "END", Code: "UNKNOWN", Message: f.Reason)))
            .Where(s => wanted is null || s.Version == wanted)
            .OrderByDescending(s => s.Version)
            .Select(s => new { version = s.Version.ToString(CultureInfo.InvariantCulture), state = s.State, status = new { error_code = s.Code, error_message = s.Message } })
            .ToList();
        if (states.Count == 0)
        {
            throw FerryException.NotFound(ServingErrors.ModelNotFound, $"model '{name}' has no version {wanted} loaded");
        }

        return ServingRoutes.Json(new { model_version_status = states });
    }

    /// <summary>TF Serving's <c>:predict</c> with <c>instances</c> (rows) or <c>inputs</c> (columns).</summary>
    public async Task<Reply> PredictAsync(HttpContext context, ModelRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var call = host.Inference.Begin(request, RoutingKey(context));
        var decoded = codecs.Predict(call.Servable).Decode(body);
        var result = await host.Inference.PredictAsync(call, decoded.Features, context.TraceIdentifier, cancellationToken);
        return new Reply(PredictCodec.EncodeResponse(result.Predictions, result.Answered, decoded.Columnar), result.Answered.Version);
    }

    /// <summary>
    /// MLflow's scoring endpoint. MLflow's server holds one model; here <c>?model=NAME</c> (or the path) picks one, and
    /// without it the only model served answers.
    /// </summary>
    public async Task<Reply> InvocationsAsync(HttpContext context, string? name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            var served = host.Manager.Targets.Select(t => t.Model).ToList();
            name = served.Count == 1 ? served[0] : throw FerryException.Invalid(
                "INPUT_INVALID",
                served.Count == 0 ? "no model is served yet" : $"this server serves {served.Count} models ({string.Join(", ", served)}); name one with /invocations?model=NAME or /models/NAME/invocations");
        }

        using var call = host.Inference.Begin(new ModelRequest(name), RoutingKey(context));
        var rows = codecs.Mlflow(call.Servable).Decode(body);
        var result = await host.Inference.PredictAsync(call, rows, context.TraceIdentifier, cancellationToken);
        return new Reply(MlflowCodec.EncodeResponse(result.Predictions, result.Answered), result.Answered.Version);
    }

    /// <summary>
    /// The model repository index (management): every version the source wants, with its state (READY, LOADING or
    /// UNAVAILABLE with the load failure's reason).
    /// </summary>
    public Reply Index()
    {
        var routes = host.Manager.Routes;
        var failures = host.Manager.Failures.ToDictionary(f => f.Id);
        var entries = host.Manager.Targets.SelectMany(t => t.Versions.Select(v => new ServableId(t.Model, v)))
            .Concat(routes.Values.Select(r => r.Primary.Id))
            .Distinct()
            .OrderBy(id => id.Model, StringComparer.Ordinal).ThenBy(id => id.Version)
            .Select(id => routes.TryGetValue(id.Model, out var route) && route.Versions.ContainsKey(id.Version)
                ? new { name = id.Model, version = Text(id.Version), state = "READY", reason = "" }
                : failures.TryGetValue(id, out var failure)
                    ? new { name = id.Model, version = Text(id.Version), state = "UNAVAILABLE", reason = failure.Reason }
                    : new { name = id.Model, version = Text(id.Version), state = "LOADING", reason = "" });
        return ServingRoutes.Json(entries.ToList());
    }

    /// <summary>
    /// Re-reads the source now (management), instead of at the next poll: a rollout or rollback recorded in the registry
    /// then takes effect at once. Answers the model's readiness afterwards.
    /// </summary>
    public async Task<Reply> ReloadAsync(string name, CancellationToken cancellationToken)
    {
        await host.Manager.ReconcileAsync(cancellationToken);
        return Ready(name, null);
    }

    /// <summary>Attaches a true label to a logged prediction: <c>{"request_id", "label"}</c>.</summary>
    public async Task<Reply> FeedbackAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid("INPUT_INVALID", $"the feedback body is not valid JSON: {e.Message}");
        }

        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw FerryException.Invalid("INPUT_INVALID", "feedback must be a JSON object {\"request_id\": ..., \"label\": ...}");
        }

        if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !FeedbackKeys.Contains(n)) is { } unknown)
        {
            throw FerryException.Invalid("INPUT_INVALID", $"feedback has an unknown field '{unknown}'; it takes request_id and label");
        }

        var requestId = Text(root, "request_id");
        var label = Text(root, "label");
        var updated = await host.PredictionLog.AttachLabelAsync(requestId, label, cancellationToken);
        return updated == 0
            ? throw FerryException.NotFound("PREDICTION_NOT_FOUND", $"no logged prediction has request id '{requestId}' (it was not sampled into the log, or not written yet)")
            : ServingRoutes.Json(new { request_id = requestId, updated });
    }

    private static string Text(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number && value.ToString().Length > 0
            ? value.ToString()
            : throw FerryException.Invalid("INPUT_INVALID", $"feedback needs '{key}' as a non-empty string");

    private static string Text(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static string? RoutingKey(HttpContext context)
    {
        var key = context.Request.Headers[ServingRoutes.RoutingKeyHeader].ToString();
        return key.Length == 0 ? null : key;
    }

    private static Servable Version(ModelRoute route, int version) =>
        route.Versions.GetValueOrDefault(version) ?? throw FerryException.NotFound(
            ServingErrors.ModelNotFound, $"model '{route.Model}' has no version {version} loaded (loaded: {string.Join(", ", route.Versions.Keys.Order())})");
}
