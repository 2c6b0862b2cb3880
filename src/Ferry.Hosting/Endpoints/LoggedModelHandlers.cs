using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.LoggedModels;
using Microsoft.AspNetCore.Routing;

namespace Ferry.Hosting.Endpoints;

/// <summary>What a logged-model handler is given: the request message, the route values (<c>model_id</c>, <c>tag_key</c>), the store and the request's cancellation.</summary>
/// <param name="Message">The request message (query string or JSON body).</param>
/// <param name="Route">The values taken from the path.</param>
/// <param name="Store">The logged-model store.</param>
/// <param name="CancellationToken">Cancelled when the client goes away.</param>
internal sealed record LoggedModelCall(WireMessage Message, RouteValueDictionary Route, ILoggedModelStore Store, CancellationToken CancellationToken)
{
    /// <summary>The model id the path names.</summary>
    public string ModelId => Route["model_id"] as string ?? throw WireErrors.Invalid("Missing value for required parameter 'model_id'");
}

/// <summary>One logged-model endpoint: verb, route template under <c>/api/2.0/mlflow/</c> and handler.</summary>
internal sealed record LoggedModelRoute(string Verb, string Template, Func<LoggedModelCall, Task<object>> Handler);

/// <summary>MLflow 3's <c>logged-models/*</c> endpoints and <c>runs/outputs</c>, which <c>log_model</c> and artifact download need.</summary>
internal static class LoggedModelHandlers
{
    /// <summary>MLflow's default page size for <c>logged-models/search</c>.</summary>
    private const int DefaultSearchResults = 50;

    public static IReadOnlyList<LoggedModelRoute> Routes { get; } =
    [
        new("POST", "logged-models", CreateAsync),
        new("POST", "logged-models/search", SearchAsync),
        new("GET", "logged-models/{model_id}", GetAsync),
        new("PATCH", "logged-models/{model_id}", FinalizeAsync),
        new("DELETE", "logged-models/{model_id}", DeleteAsync),
        new("PATCH", "logged-models/{model_id}/tags", SetTagsAsync),
        new("DELETE", "logged-models/{model_id}/tags/{tag_key}", DeleteTagAsync),
        new("POST", "logged-models/{model_id}/params", LogParamsAsync),
        new("POST", "runs/outputs", LogOutputsAsync),
    ];

    private static async Task<object> CreateAsync(LoggedModelCall call)
    {
        var m = call.Message;
        var model = await call.Store.CreateLoggedModelAsync(
            new CreateLoggedModelRequest(
                m.RequiredString("experiment_id"),
                ExperimentHandlers.NullIfEmpty(m.String("name")),
                ExperimentHandlers.NullIfEmpty(m.String("model_type")),
                ExperimentHandlers.NullIfEmpty(m.String("source_run_id")),
                LoggedModelWire.KeyValues(m, "tags"),
                LoggedModelWire.KeyValues(m, "params")),
            call.CancellationToken);
        return new LoggedModelResponse(LoggedModelWire.ToWire(model));
    }

    private static async Task<object> GetAsync(LoggedModelCall call) =>
        new LoggedModelResponse(LoggedModelWire.ToWire(await call.Store.GetLoggedModelAsync(call.ModelId, call.CancellationToken)));

    private static async Task<object> FinalizeAsync(LoggedModelCall call)
    {
        var status = call.Message.Enum("status", LoggedModelWire.Statuses) ?? throw WireErrors.Invalid("Missing value for required parameter 'status'");
        return new LoggedModelResponse(LoggedModelWire.ToWire(await call.Store.FinalizeLoggedModelAsync(call.ModelId, status, call.CancellationToken)));
    }

    private static async Task<object> DeleteAsync(LoggedModelCall call)
    {
        await call.Store.DeleteLoggedModelAsync(call.ModelId, call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> SetTagsAsync(LoggedModelCall call)
    {
        await call.Store.SetLoggedModelTagsAsync(call.ModelId, LoggedModelWire.KeyValues(call.Message, "tags"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> DeleteTagAsync(LoggedModelCall call)
    {
        var key = call.Route["tag_key"] as string ?? throw WireErrors.Invalid("Missing value for required parameter 'tag_key'");
        await call.Store.DeleteLoggedModelTagAsync(call.ModelId, key, call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> LogParamsAsync(LoggedModelCall call)
    {
        await call.Store.LogLoggedModelParamsAsync(call.ModelId, LoggedModelWire.KeyValues(call.Message, "params"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> SearchAsync(LoggedModelCall call)
    {
        var m = call.Message;
        // Ferry answers in one page; datasets and order_by (newest first is the only order) are not supported yet.
        var models = await call.Store.SearchLoggedModelsAsync(
            m.Strings("experiment_ids"), m.String("filter"), ExperimentHandlers.MaxResults(m, DefaultSearchResults), call.CancellationToken);
        return new SearchLoggedModelsResponse(WireMapper.NullIfEmpty(models.Select(LoggedModelWire.ToWire).ToList()));
    }

    private static async Task<object> LogOutputsAsync(LoggedModelCall call)
    {
        var m = call.Message;
        var outputs = m.Messages("models").Select(o => new ModelOutput(o.RequiredString("model_id"), o.Int64("step") ?? 0)).ToList();
        await call.Store.LogRunOutputsAsync(m.RequiredString("run_id"), outputs, call.CancellationToken);
        return new EmptyResponse();
    }
}
