using System.Globalization;
using System.Text;
using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Ferry.Tracking.LoggedModels;
using Ferry.Tracking.Model;

namespace Ferry.Hosting.Endpoints;

/// <summary>MLflow's <c>runs/*</c> and <c>metrics/get-history</c> endpoints.</summary>
internal static class RunHandlers
{
    public static IEnumerable<TrackingRoute> Routes() =>
    [
        new("POST", "runs/create", CreateAsync),
        new("GET", "runs/get", GetAsync),
        new("POST", "runs/update", UpdateAsync),
        new("POST", "runs/delete", DeleteAsync),
        new("POST", "runs/restore", RestoreAsync),
        new("POST", "runs/search", SearchAsync),
        new("POST", "runs/log-metric", LogMetricAsync),
        new("POST", "runs/log-parameter", LogParamAsync),
        new("POST", "runs/set-tag", SetTagAsync),
        new("POST", "runs/delete-tag", DeleteTagAsync),
        new("POST", "runs/log-batch", LogBatchAsync),
        new("POST", "runs/log-inputs", LogInputsAsync),
        new("GET", "metrics/get-history", GetHistoryAsync),
    ];

    private static async Task<object> CreateAsync(TrackingCall call)
    {
        var m = call.Message;
        var run = await call.Store.CreateRunAsync(
            new CreateRunRequest(
                // MLflow's fluent API always names one; a bare REST call lands in the Default experiment like MLflow's.
                ExperimentHandlers.NullIfEmpty(m.String("experiment_id")) ?? "0",
                m.String("user_id") ?? "",
                ExperimentHandlers.NullIfEmpty(m.String("run_name")),
                m.Int64("start_time"),
                WireMapper.RunTags(m, "tags")),
            call.CancellationToken);
        return new RunResponse(WireMapper.ToWire(run, withOutputs: false));
    }

    private static async Task<object> GetAsync(TrackingCall call)
    {
        var run = await call.Store.GetRunAsync(RunId(call.Message), call.CancellationToken);
        var wire = WireMapper.ToWire(run, withOutputs: true);
        if (call.Store is ILoggedModelStore models)
        {
            wire = wire with { Outputs = LoggedModelWire.Outputs(await models.GetRunOutputsAsync(run.Info.RunId, call.CancellationToken)) };
        }

        return new RunResponse(wire);
    }

    private static async Task<object> UpdateAsync(TrackingCall call)
    {
        var m = call.Message;
        var info = await call.Store.UpdateRunAsync(
            RunId(m), m.Enum("status", WireMapper.Statuses), m.Int64("end_time"), ExperimentHandlers.NullIfEmpty(m.String("run_name")), call.CancellationToken);
        return new UpdateRunResponse(WireMapper.ToWire(info));
    }

    private static async Task<object> DeleteAsync(TrackingCall call)
    {
        await call.Store.DeleteRunAsync(call.Message.RequiredString("run_id"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> RestoreAsync(TrackingCall call)
    {
        await call.Store.RestoreRunAsync(call.Message.RequiredString("run_id"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> SearchAsync(TrackingCall call)
    {
        var m = call.Message;
        var page = await call.Store.SearchRunsAsync(
            new RunSearchRequest
            {
                ExperimentIds = m.Strings("experiment_ids"),
                Filter = m.String("filter"),
                ViewType = m.Enum("run_view_type", WireMapper.ViewTypes) ?? ViewType.ActiveOnly,
                MaxResults = ExperimentHandlers.MaxResults(m, TrackingLimits.DefaultSearchResults),
                OrderBy = m.Strings("order_by"),
                PageToken = ExperimentHandlers.NullIfEmpty(m.String("page_token")),
            },
            call.CancellationToken);
        return new SearchRunsResponse(
            WireMapper.NullIfEmpty(page.Items.Select(r => WireMapper.ToWire(r, withOutputs: false)).ToList()), page.NextPageToken);
    }

    private static async Task<object> LogMetricAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.LogMetricAsync(RunId(m), WireMapper.Metric(m), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> LogParamAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.LogParamAsync(RunId(m), new Param(m.RequiredString("key"), m.RequiredString("value")), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> SetTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.SetTagAsync(RunId(m), new RunTag(m.RequiredString("key"), m.RequiredString("value")), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> DeleteTagAsync(TrackingCall call)
    {
        var m = call.Message;
        await call.Store.DeleteTagAsync(m.RequiredString("run_id"), m.RequiredString("key"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> LogBatchAsync(TrackingCall call)
    {
        var m = call.Message;
        var metrics = m.Messages("metrics").Select(WireMapper.Metric).ToList();
        var parameters = m.Messages("params").Select(p => new Param(p.RequiredString("key"), p.RequiredString("value"))).ToList();
        await call.Store.LogBatchAsync(RunId(m), metrics, parameters, WireMapper.RunTags(m, "tags"), call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> LogInputsAsync(TrackingCall call)
    {
        var m = call.Message;
        var datasets = m.Messages("datasets").Select(WireMapper.DatasetInput).ToList();
        await call.Store.LogInputsAsync(m.RequiredString("run_id"), datasets, call.CancellationToken);
        return new EmptyResponse();
    }

    private static async Task<object> GetHistoryAsync(TrackingCall call)
    {
        var m = call.Message;
        var history = await call.Store.GetMetricHistoryAsync(RunId(m), m.RequiredString("metric_key"), call.CancellationToken);
        // The store returns the whole history; pages (asked for with max_results) are slices of it.
        var maxResults = m.Int64("max_results");
        if (maxResults is null)
        {
            return new MetricHistoryResponse(WireMapper.NullIfEmpty(history.Select(WireMapper.ToWire).ToList()), null);
        }

        if (maxResults < 1)
        {
            throw WireErrors.Invalid($"Invalid value {maxResults} for parameter 'max_results': it must be at least 1");
        }

        var offset = DecodeOffset(m.String("page_token"));
        var page = history.Skip(offset).Take((int)Math.Min(maxResults.Value, int.MaxValue)).Select(WireMapper.ToWire).ToList();
        var next = offset + page.Count < history.Count ? EncodeOffset(offset + page.Count) : null;
        return new MetricHistoryResponse(WireMapper.NullIfEmpty(page), next);
    }

    /// <summary>The run a call names: MLflow's clients send <c>run_id</c> and, for old servers, <c>run_uuid</c>.</summary>
    private static string RunId(WireMessage m) =>
        ExperimentHandlers.NullIfEmpty(m.String("run_id")) ?? ExperimentHandlers.NullIfEmpty(m.String("run_uuid"))
        ?? throw WireErrors.Invalid("Missing value for required parameter 'run_id'");

    private static string EncodeOffset(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeOffset(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            if (int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw WireErrors.Invalid($"Invalid value '{token}' for parameter 'page_token': pass the next_page_token of the previous page");
    }
}
