using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Serving.Management;

namespace Ferry.Serving;

/// <summary>
/// The one entry point every protocol calls: it picks the version for a request (a named version or label, else the
/// canary by its share, else the primary), predicts, and copies a share of requests to the shadow version after
/// the caller's answer is ready, so the shadow can neither change nor delay it.
/// </summary>
/// <param name="manager">The loaded versions and their routes.</param>
/// <param name="time">The clock latencies are measured with.</param>
public sealed class InferenceService(ModelManager manager, TimeProvider time)
{
    private const int AcquireAttempts = 5;

    /// <summary>Raised for every answered request and every shadow answer (for the prediction log).</summary>
    public event Action<PredictionRecord>? Predicted;

    /// <summary>Raised when a shadow answer has been compared with the live one.</summary>
    public event Action<ShadowComparison>? ShadowCompared;

    /// <summary>The manager behind the service.</summary>
    public ModelManager Manager => manager;

    /// <summary>Chooses the version for a request and holds it until the call is disposed.</summary>
    /// <param name="request">The model, and optionally a version or label.</param>
    /// <param name="routingKey">Keeps a caller on one side of a canary split (null: dealt out by share).</param>
    /// <exception cref="FerryException">MODEL_NOT_FOUND (unknown model, version or label) or MODEL_NOT_READY.</exception>
    public InferenceCall Begin(ModelRequest request, string? routingKey = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 0; attempt < AcquireAttempts; attempt++)
        {
            var route = RouteOf(request.Model);
            var servable = Choose(route, request, routingKey);

            // A null lease means a swap retired this version between reading the route and taking the lease: read again.
            if (servable.TryAcquire() is { } lease)
            {
                var shadow = request.Version is null && request.Label is null && route.TakeShadow() ? route.Shadow!.TryAcquire() : null;
                return new InferenceCall(lease, shadow);
            }
        }

        throw FerryException.Unavailable(ServingErrors.ModelNotReady, $"model '{request.Model}' is being swapped; try again");
    }

    /// <summary>Predicts <paramref name="rows"/> with the call's version, then starts its shadow copy if it has one.</summary>
    /// <param name="call">The call from <see cref="Begin"/>.</param>
    /// <param name="rows">The decoded input rows.</param>
    /// <param name="requestId">The request's id (echoed in the response and the prediction log).</param>
    /// <param name="cancellationToken">Cancels the prediction.</param>
    public async Task<InferenceResult> PredictAsync(InferenceCall call, Table rows, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arrived = time.GetUtcNow();
        var started = time.GetTimestamp();
        var servable = call.Lease.Servable;
        var predictions = await servable.Predictor.PredictAsync(rows, cancellationToken);
        var latency = time.GetElapsedTime(started).TotalMilliseconds;
        Predicted?.Invoke(new PredictionRecord(requestId, servable.Id, arrived, latency, rows, predictions));
        if (call.TakeShadow() is { } shadow)
        {
            _ = Task.Run(() => ShadowAsync(shadow, servable.Id, rows, predictions, latency, requestId, arrived), CancellationToken.None);
        }

        return new InferenceResult(servable.Id, predictions, latency);
    }

    /// <summary>The model's current route.</summary>
    /// <exception cref="FerryException">MODEL_NOT_FOUND for an unknown model, MODEL_NOT_READY when none of its versions loaded yet.</exception>
    public ModelRoute RouteOf(string model)
    {
        if (manager.Routes.TryGetValue(model, out var route))
        {
            return route;
        }

        if (!manager.HasRead)
        {
            throw FerryException.Unavailable(ServingErrors.ModelNotReady, manager.SourceError ?? $"the server is still reading {manager.Source.Description}; try again in a moment");
        }

        if (manager.Targets.Any(t => t.Model == model))
        {
            var failure = manager.Failures.FirstOrDefault(f => f.Id.Model == model);
            var why = failure is null ? "it is still loading" : $"version {failure.Id.Version} failed to load: {failure.Reason}";
            throw FerryException.Unavailable(ServingErrors.ModelNotReady, $"model '{model}' has no version ready ({why})");
        }

        throw ServingErrors.UnknownModel(model, manager.Targets.Select(t => t.Model));
    }

    private static Servable Choose(ModelRoute route, ModelRequest request, string? routingKey)
    {
        if (request.Version is { } version)
        {
            return route.Versions.GetValueOrDefault(version) ?? throw FerryException.NotFound(
                ServingErrors.ModelNotFound,
                $"model '{route.Model}' has no version {version} loaded (loaded: {string.Join(", ", route.Versions.Keys.Order())})");
        }

        if (request.Label is { } label)
        {
            return route.Labels.TryGetValue(label, out var labelled) ? route.Versions[labelled] : throw FerryException.NotFound(
                ServingErrors.ModelNotFound,
                $"model '{route.Model}' has no label '{label}' on a loaded version (labels: {(route.Labels.Count == 0 ? "none" : string.Join(", ", route.Labels.Keys.Order(StringComparer.Ordinal)))})");
        }

        return route.TakeCanary(routingKey) ? route.Canary! : route.Primary;
    }

    private async Task ShadowAsync(ServableLease shadow, ServableId live, Table rows, Predictions liveAnswer, double liveMs, string requestId, DateTimeOffset arrived)
    {
        using var _ = shadow;
        var started = time.GetTimestamp();
        try
        {
            var answer = await shadow.Servable.Predictor.PredictAsync(rows, CancellationToken.None);
            var latency = time.GetElapsedTime(started).TotalMilliseconds;
            Predicted?.Invoke(new PredictionRecord(requestId, shadow.Servable.Id, arrived, latency, rows, answer, Shadow: true));
            ShadowCompared?.Invoke(new ShadowComparison(live, shadow.Servable.Id, liveAnswer.Count, Agreed(liveAnswer, answer), liveMs, latency));
        }
        catch (Exception e)
        {
            // The caller has its answer already; a failing shadow is only reported.
            ShadowCompared?.Invoke(new ShadowComparison(live, shadow.Servable.Id, liveAnswer.Count, 0, liveMs, double.NaN, e.Message));
        }
    }

    private static int Agreed(Predictions live, Predictions shadow)
    {
        var agreed = 0;
        for (var i = 0; i < Math.Min(live.Count, shadow.Count); i++)
        {
            var same = live.Labels is { } labels
                ? shadow.Labels is { } other && labels[i] == other[i]
                : shadow.Values is { } values && Math.Abs(live.Values![i] - values[i]) <= 1e-6 * Math.Max(1, Math.Abs(live.Values[i]));
            agreed += same ? 1 : 0;
        }

        return agreed;
    }
}
