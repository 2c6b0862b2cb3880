using Ferry.Tracking.Predictions;

namespace Ferry.Tracking.Tests;

/// <summary>The prediction log. It is a feature of the SQL stores, so a client of a server tests the server's store.</summary>
public abstract partial class TrackingStoreContract
{
    private async Task<IPredictionLog> PredictionLogAsync() => (IPredictionLog)await SqlStoreBehindAsync(Store);

    private static LoggedPrediction P(string model, int version, long at, bool shadow = false, string? requestId = null) =>
        new(requestId ?? UniqueName("req"), model, version, at, 2.5, $$"""[{"x":{{at}},"name":"ü \"q\""}]""", """[{"label":"a","probabilities":{"a":0.75,"b":0.25}}]""", shadow);

    [ContractFact]
    public async Task Predictions_read_back_whole_oldest_first_by_model_version_window_and_shadow()
    {
        var log = await PredictionLogAsync();
        var model = UniqueName("model");
        LoggedPrediction[] records =
        [
            P(model, 1, 300), P(model, 1, 100), P(model, 2, 200), P(model, 2, 200, shadow: true), P(model, 1, 400),
            P(UniqueName("other"), 1, 250),
        ];

        await log.AppendAsync(records[..3], None);
        await log.AppendAsync(records[3..], None);

        var live = records.Where(r => r.Model == model && !r.Shadow).OrderBy(r => r.At).ToList();
        Assert.Equal(live, await log.ReadAsync(new PredictionQuery(model), None));
        Assert.Equal(
            records.Where(r => r.Model == model).OrderBy(r => r.At).ThenBy(r => r.Shadow),
            await log.ReadAsync(new PredictionQuery(model) { IncludeShadow = true }, None));
        Assert.Equal(live.Where(r => r.Version == 1), await log.ReadAsync(new PredictionQuery(model) { Version = 1 }, None));
        Assert.Equal(live.Where(r => r.At >= 200 && r.At < 400), await log.ReadAsync(new PredictionQuery(model) { From = 200, To = 400 }, None));
        Assert.Equal(live.Take(2), await log.ReadAsync(new PredictionQuery(model) { Limit = 2 }, None));
        Assert.Empty(await log.ReadAsync(new PredictionQuery(UniqueName("unknown")), None));
    }

    [ContractFact]
    public async Task A_label_attaches_to_the_live_and_shadow_records_of_its_request_and_can_be_replaced()
    {
        var log = await PredictionLogAsync();
        var model = UniqueName("model");
        var requestId = UniqueName("req");
        await log.AppendAsync([P(model, 1, 10, requestId: requestId), P(model, 2, 10, shadow: true, requestId: requestId), P(model, 1, 11)], None);

        var labelled = await log.AttachLabelAsync(requestId, "Gentoo", None);
        var first = (await log.ReadAsync(new PredictionQuery(model), None)).First(r => r.RequestId == requestId);
        var relabelled = await log.AttachLabelAsync(requestId, "Adelie", None);
        var unknown = await log.AttachLabelAsync(UniqueName("req"), "Gentoo", None);

        var read = await log.ReadAsync(new PredictionQuery(model) { IncludeShadow = true }, None);
        Assert.Equal((2, 2, 0), (labelled, relabelled, unknown));
        var mine = read.Where(r => r.RequestId == requestId).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, r => Assert.Equal("Adelie", r.Label));
        Assert.Equal("Gentoo", first.Label);
        Assert.NotNull(first.LabelAt);
        Assert.Single(mine.Select(r => r.LabelAt).Distinct());
        Assert.All(mine, r => Assert.True(r.LabelAt >= first.LabelAt, $"label_at {r.LabelAt} is before the first label's {first.LabelAt}"));
        Assert.Null(Assert.Single(read, r => r.RequestId != requestId).Label);
    }

    [ContractFact]
    public async Task A_prediction_batch_is_seen_whole_or_not_at_all()
    {
        const int Batches = 10;
        const int BatchSize = 200;
        var log = await PredictionLogAsync();
        var model = UniqueName("model");
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                await log.AppendAsync([.. Enumerable.Range(0, BatchSize).Select(i => P(model, 1, b * BatchSize + i))], None);
            }
        });

        var seen = new List<int>();
        while (!writer.IsCompleted)
        {
            seen.Add((await log.ReadAsync(new PredictionQuery(model) { Limit = PredictionQuery.MaxLimit }, None)).Count);
        }

        await writer;
        seen.Add((await log.ReadAsync(new PredictionQuery(model) { Limit = PredictionQuery.MaxLimit }, None)).Count);
        Assert.All(seen, count => Assert.Equal(0, count % BatchSize));
        Assert.Equal(Batches * BatchSize, seen[^1]);
    }

    [ContractFact]
    public async Task Bad_prediction_records_and_queries_are_refused_naming_the_field_and_write_nothing()
    {
        var log = await PredictionLogAsync();
        var model = UniqueName("model");

        var latency = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            log.AppendAsync([P(model, 1, 1), P(model, 1, 2) with { LatencyMs = double.NaN }], None));
        var request = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => log.AppendAsync([P(model, 1, 1) with { RequestId = "" }], None));
        var limit = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => log.ReadAsync(new PredictionQuery(model) { Limit = 0 }, None));
        var name = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => log.ReadAsync(new PredictionQuery(""), None));
        var label = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => log.AttachLabelAsync("", "x", None));

        Assert.Contains("latency_ms of record 1", latency.Message, StringComparison.Ordinal);
        Assert.Contains("request_id", request.Message, StringComparison.Ordinal);
        Assert.Contains("limit", limit.Message, StringComparison.Ordinal);
        Assert.Contains("model", name.Message, StringComparison.Ordinal);
        Assert.Contains("request_id", label.Message, StringComparison.Ordinal);
        Assert.Empty(await log.ReadAsync(new PredictionQuery(model), None));
    }
}
