using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.Model;

namespace Ferry.Hosting.Endpoints;

/// <summary>MLflow's <c>experiments/*</c> endpoints.</summary>
internal static class ExperimentHandlers
{
    public static IEnumerable<TrackingRoute> Routes() =>
    [
        new("POST", "experiments/create", CreateAsync),
        new("GET", "experiments/get", GetAsync),
        new("GET", "experiments/get-by-name", GetByNameAsync),
        new("POST", "experiments/search", SearchAsync),
        new("GET", "experiments/search", SearchAsync),
        new("POST", "experiments/update", UpdateAsync),
        new("POST", "experiments/delete", DeleteAsync),
        new("POST", "experiments/restore", RestoreAsync),
        new("POST", "experiments/set-experiment-tag", SetTagAsync),
        new("POST", "experiments/delete-experiment-tag", DeleteTagAsync),
    ];

    private static async Task<object> CreateAsync(TrackingCall call)
    {
        var m = call.Message;
        var name = m.RequiredString("name");
        var id = await call.Store.CreateExperimentAsync(
            name, NullIfEmpty(m.String("artifact_location")), WireMapper.ExperimentTags(m, "tags"), call.CancellationToken);
        return new CreateExperimentResponse(id);
    }

    private static async Task<object> GetAsync(TrackingCall call)
    {
        var experiment = await call.Store.GetExperimentAsync(call.Message.RequiredString("experiment_id"), call.CancellationToken);
        return new ExperimentResponse(WireMapper.ToWire(experiment));
    }

    private static async Task<object> GetByNameAsync(TrackingCall call)
    {
        var experiment = await call.Store.GetExperimentByNameAsync(call.Message.RequiredString("experiment_name"), call.CancellationToken);
        return new ExperimentResponse(WireMapper.ToWire(experiment));
    }

    private static async Task<object> SearchAsync(TrackingCall call)
    {
        var m = call.Message;
        var page = await call.Store.SearchExperimentsAsync(
            new ExperimentSearchRequest
            {
                ViewType = m.Enum("view_type", WireMapper.ViewTypes) ?? ViewType.ActiveOnly,
                MaxResults = MaxResults(m, TrackingLimits.DefaultSearchResults),
                PageToken = NullIfEmpty(m.String("page_token")),
                Filter = m.String("filter"),
                OrderBy = m.Strings("order_by"),
            },
            call.CancellationToken);
        return new SearchExperimentsResponse(WireMapper.NullIfEmpty(page.Items.Select(WireMapper.ToWire).ToList()), page.NextPageToken);
    }

    private static async Task<object> UpdateAsync(TrackingCall call)
    {
        var m = call.Message;
        var id = m.RequiredString("experiment_id");
        var newName = m.String("new_name");
        if (newName is not null)
        {
            await call.Store.RenameExperimentAsync(id, newName, call.CancellationToken);
        }
        else
        {
            // MLflow accepts an update without a new name as a no-op, but still reports an unknown experiment.
            await call.Store.GetExperimentAsync(id, call.CancellationToken);
        }

        return new EmptyResponse();
    }

    private static async Task<object> DeleteAsync(TrackingCall call)
    {
        await call.Store.DeleteExperimentAsync(call.Message.RequiredString("experiment_id"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> RestoreAsync(TrackingCall call)
    {
        await call.Store.RestoreExperimentAsync(call.Message.RequiredString("experiment_id"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> SetTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.SetExperimentTagAsync(
            m.RequiredString("experiment_id"), m.RequiredString("key"), m.RequiredString("value"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> DeleteTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.DeleteExperimentTagAsync(m.RequiredString("experiment_id"), m.RequiredString("key"), call.CancellationToken);
        return new EmptyResponse();
    }

    /// <summary>The page size asked for; out-of-range values are INVALID_PARAMETER_VALUE naming max_results.</summary>
    internal static int MaxResults(WireMessage m, int fallback)
    {
        var value = m.Int64("max_results") ?? fallback;
        return value is < 1 or > TrackingLimits.MaxSearchResults
            ? throw WireErrors.Invalid($"Invalid value {value} for parameter 'max_results': it must be between 1 and {TrackingLimits.MaxSearchResults}")
            : (int)value;
    }

    internal static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
