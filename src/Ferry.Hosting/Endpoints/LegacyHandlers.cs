using System.Text.Json;
using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.Model;

namespace Ferry.Hosting.Endpoints;

/// <summary>
/// Endpoints only older MLflow clients call: 1.x's <c>experiments/list</c> and 2.x's <c>runs/log-model</c>, with which
/// <c>log_model</c> records a model in the run's <c>mlflow.log-model.history</c> tag.
/// </summary>
internal static class LegacyHandlers
{
    /// <summary>The run tag MLflow 2.x keeps its logged models in.</summary>
    public const string LogModelHistoryTag = "mlflow.log-model.history";

    private static readonly string[] RequiredModelFields = ["artifact_path", "flavors", "utc_time_created", "run_id"];

    private static readonly string[] KeptModelFields = ["run_id", "utc_time_created", "artifact_path", "model_uuid"];

    public static IEnumerable<TrackingRoute> Routes() =>
    [
        new("GET", "experiments/list", ListExperimentsAsync),
        new("POST", "runs/log-model", LogModelAsync),
    ];

    /// <summary>MLflow 1.x's ListExperiments: one page when max_results is given, else every experiment.</summary>
    private static async Task<object> ListExperimentsAsync(TrackingCall call)
    {
        var m = call.Message;
        var view = m.Enum("view_type", WireMapper.ViewTypes) ?? ViewType.ActiveOnly;
        if (m.Has("max_results"))
        {
            var page = await call.Store.SearchExperimentsAsync(
                new ExperimentSearchRequest { ViewType = view, MaxResults = ExperimentHandlers.MaxResults(m, TrackingLimits.DefaultSearchResults), PageToken = ExperimentHandlers.NullIfEmpty(m.String("page_token")) },
                call.CancellationToken);
            return new SearchExperimentsResponse(WireMapper.NullIfEmpty(page.Items.Select(WireMapper.ToWire).ToList()), page.NextPageToken);
        }

        var all = new List<WireExperiment>();
        string? token = null;
        do
        {
            var page = await call.Store.SearchExperimentsAsync(
                new ExperimentSearchRequest { ViewType = view, MaxResults = TrackingLimits.MaxSearchResults, PageToken = token }, call.CancellationToken);
            all.AddRange(page.Items.Select(WireMapper.ToWire));
            token = page.NextPageToken;
        }
        while (token is not null);

        return new SearchExperimentsResponse(WireMapper.NullIfEmpty(all), null);
    }

    /// <summary>
    /// MLflow 2.x's LogModel: appends the model's summary (run, time, path, uuid and flavors without their config) to the run's
    /// <c>mlflow.log-model.history</c> tag, in the JSON layout MLflow writes.
    /// </summary>
    private static async Task<object> LogModelAsync(TrackingCall call)
    {
        var m = call.Message;
        var runId = ExperimentHandlers.NullIfEmpty(m.String("run_id")) ?? ExperimentHandlers.NullIfEmpty(m.String("run_uuid"))
            ?? throw WireErrors.Invalid("Missing value for required parameter 'run_id'");
        var modelJson = m.RequiredString("model_json");
        JsonDocument model;
        try
        {
            model = JsonDocument.Parse(modelJson);
        }
        catch (JsonException)
        {
            throw WireErrors.Invalid($"Malformed model info. \n {modelJson} \n is not a valid JSON.");
        }

        string entry;
        using (model)
        {
            if (model.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw WireErrors.Invalid($"Malformed model info: model_json must be a JSON object, got {model.RootElement.ValueKind}");
            }

            var missing = RequiredModelFields.Where(f => !model.RootElement.TryGetProperty(f, out _)).ToList();
            if (missing.Count > 0)
            {
                throw WireErrors.Invalid($"Model json is missing mandatory fields: {{{string.Join(", ", missing.Select(f => $"'{f}'"))}}}");
            }

            entry = Summary(model.RootElement);
        }

        var run = await call.Store.GetRunAsync(runId, call.CancellationToken);
        var previous = run.Data.Tags.FirstOrDefault(t => t.Key == LogModelHistoryTag)?.Value;
        var value = AppendToList(previous, entry);
        await call.Store.SetTagAsync(runId, new RunTag(LogModelHistoryTag, value), call.CancellationToken);
        return new EmptyResponse();
    }

    /// <summary>MLflow's <c>Model.get_tags_dict</c>: the kept fields in the order given, then the flavors without their <c>config</c>.</summary>
    private static string Summary(JsonElement model)
    {
        var parts = model.EnumerateObject()
            .Where(p => KeptModelFields.Contains(p.Name, StringComparer.Ordinal))
            .Select(p => $"{MlflowJson.Quote(p.Name)}: {MlflowJson.Dumps(p.Value)}")
            .ToList();
        var flavors = model.GetProperty("flavors");
        var flavorParts = flavors.ValueKind != JsonValueKind.Object
            ? null
            : flavors.EnumerateObject().Select(f => $"{MlflowJson.Quote(f.Name)}: {(f.Value.ValueKind == JsonValueKind.Object
                ? "{" + string.Join(", ", f.Value.EnumerateObject().Where(p => p.Name != "config").Select(p => $"{MlflowJson.Quote(p.Name)}: {MlflowJson.Dumps(p.Value)}")) + "}"
                : MlflowJson.Dumps(f.Value))}");
        parts.Add($"\"flavors\": {(flavorParts is null ? MlflowJson.Dumps(flavors) : "{" + string.Join(", ", flavorParts) + "}")}");
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>The history with <paramref name="entry"/> appended; a value that is not a JSON list starts a new one.</summary>
    private static string AppendToList(string? previous, string entry)
    {
        if (previous is not null)
        {
            try
            {
                using var list = JsonDocument.Parse(previous);
                if (list.RootElement.ValueKind == JsonValueKind.Array)
                {
                    return "[" + string.Join(", ", list.RootElement.EnumerateArray().Select(MlflowJson.Dumps).Append(entry)) + "]";
                }
            }
            catch (JsonException)
            {
                // Overwritten by something else: start again, as the tag only lists what was logged.
            }
        }

        return "[" + entry + "]";
    }
}
