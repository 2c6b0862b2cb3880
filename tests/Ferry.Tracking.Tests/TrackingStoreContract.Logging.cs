using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Batch_limits_are_refused_with_the_limit_named_and_nothing_written()
    {
        var runId = await NewRunAsync();
        var metrics1001 = Enumerable.Range(0, 1001).Select(i => M("m", i, i)).ToList();
        var params101 = Enumerable.Range(0, 101).Select(i => new Param($"p{i}", "v")).ToList();
        var tags101 = Enumerable.Range(0, 101).Select(i => new RunTag($"t{i}", "v")).ToList();

        var tooManyMetrics = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogBatchAsync(runId, metrics1001, [], [], None));
        Assert.Contains("1000 metrics", tooManyMetrics.Message, StringComparison.Ordinal);
        Assert.Contains("1001", tooManyMetrics.Message, StringComparison.Ordinal);
        Assert.Contains("100 params", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogBatchAsync(runId, [], params101, [], None))).Message, StringComparison.Ordinal);
        Assert.Contains("100 tags", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogBatchAsync(runId, [], [], tags101, None))).Message, StringComparison.Ordinal);
        Assert.Contains("together", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.LogBatchAsync(runId, metrics1001.Take(900).ToList(), params101.Take(100).ToList(), tags101.Take(1).ToList(), None))).Message, StringComparison.Ordinal);

        var longKey = new string('k', TrackingLimits.MaxKeyLength + 1);
        Assert.Contains("250", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogMetricAsync(runId, M(longKey, 1, 1), None))).Message, StringComparison.Ordinal);
        Assert.Contains("'lr'", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.LogParamAsync(runId, new Param("lr", new string('1', TrackingLimits.MaxParamValueLength + 1)), None))).Message, StringComparison.Ordinal);
        Assert.Contains("8000", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.SetTagAsync(runId, new RunTag("note", new string('x', TrackingLimits.MaxTagValueLength + 1)), None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogMetricAsync(runId, M("../escape", 1, 1), None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogParamAsync(runId, new Param("", "x"), None));

        // Exactly at the limits is fine.
        await Store.LogBatchAsync(runId, metrics1001.Take(1000).ToList(), [], [], None);
        await Store.LogParamAsync(runId, new Param("lr", new string('1', TrackingLimits.MaxParamValueLength)), None);

        var run = await Store.GetRunAsync(runId, None);
        Assert.Equal(1000, (await Store.GetMetricHistoryAsync(runId, "m", None)).Count);
        Assert.Equal(["lr"], run.Data.Params.Select(p => p.Key));
        Assert.Equal(["mlflow.runName"], run.Data.Tags.Select(t => t.Key));
    }

    [ContractFact]
    public async Task A_batch_whose_50th_param_conflicts_writes_nothing()
    {
        var runId = await NewRunAsync();
        await Store.LogParamAsync(runId, new Param("p49", "old"), None);
        var metrics = Enumerable.Range(0, 200).Select(i => M("acc", i / 200.0, 1000 + i, i)).ToList();
        var parameters = Enumerable.Range(0, 50).Select(i => new Param($"p{i}", i == 49 ? "new" : "fresh")).ToList();
        List<RunTag> tags = [new RunTag("phase", "train"), new RunTag("mlflow.runName", "renamed-by-batch")];

        var error = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogBatchAsync(runId, metrics, parameters, tags, None));

        Assert.Equal("param 'p49' was already logged with value 'old'; a run's params cannot change (got 'new')", error.Message);
        var run = await Store.GetRunAsync(runId, None);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(await Store.GetMetricHistoryAsync(runId, "acc", None));
        Assert.Equal([new Param("p49", "old")], run.Data.Params);
        Assert.DoesNotContain(run.Data.Tags, t => t.Key == "phase");
        Assert.NotEqual("renamed-by-batch", run.Info.RunName);
    }

    [ContractFact]
    public async Task NaN_and_infinities_round_trip_exactly()
    {
        var runId = await NewRunAsync();
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, 0.1 + 0.2, -1e-300];
        var points = values.Select((v, i) => M("odd", v, 100 + i, i)).ToList();

        await Store.LogBatchAsync(runId, points, [], [], None);
        await Store.LogBatchAsync(runId, [M("nan", double.NaN, 5), M("pinf", double.PositiveInfinity, 5), M("ninf", double.NegativeInfinity, 5)], [], [], None);

        var history = await Store.GetMetricHistoryAsync(runId, "odd", None);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), history.Select(m => BitConverter.DoubleToInt64Bits(m.Value)));
        var latest = (await Store.GetRunAsync(runId, None)).Data.Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.True(double.IsNaN(latest["nan"]));
        Assert.Equal(double.PositiveInfinity, latest["pinf"]);
        Assert.Equal(double.NegativeInfinity, latest["ninf"]);
        Assert.Equal(-1e-300, latest["odd"]);
    }

    [ContractFact]
    public async Task Latest_metric_is_the_highest_step_then_the_latest_timestamp_then_the_largest_value()
    {
        var runId = await NewRunAsync();

        // Logged out of order, across batches and within one.
        await Store.LogBatchAsync(runId, [M("loss", 5, 100, 1), M("loss", 4, 50, 3)], [], [], None);
        await Store.LogMetricAsync(runId, M("loss", 1, 999, 2), None);
        await Store.LogMetricAsync(runId, M("loss", 3, 60, 3), None);
        await Store.LogMetricAsync(runId, M("loss", 2, 55, 3), None);
        await Store.LogBatchAsync(runId, [M("tie", 1, 10, 0), M("tie", 7, 10, 0), M("tie", 3, 10, 0)], [], [], None);
        await Store.LogMetricAsync(runId, M("tie", 5, 10, 0), None);
        await Store.LogMetricAsync(runId, M("nanlast", 2, 10, 0), None);
        await Store.LogMetricAsync(runId, M("nanlast", double.NaN, 10, 0), None);

        var latest = (await Store.GetRunAsync(runId, None)).Data.Metrics.ToDictionary(m => m.Key);
        Assert.Equal(M("loss", 3, 60, 3), latest["loss"]);
        Assert.Equal(M("tie", 7, 10, 0), latest["tie"]);
        Assert.Equal(M("nanlast", 2, 10, 0), latest["nanlast"]);
    }

    [ContractFact]
    public async Task Metric_history_holds_every_point_by_timestamp_then_step()
    {
        var runId = await NewRunAsync();
        var points = new[] { M("acc", 0.5, 300, 2), M("acc", 0.1, 100, 0), M("acc", 0.3, 200, 1), M("acc", 0.35, 200, 0), M("acc", 0.9, 400, 3) };

        await Store.LogBatchAsync(runId, points[..2], [], [], None);
        await Store.LogBatchAsync(runId, [.. points[2..], M("other", 1, 1)], [], [], None);

        var history = await Store.GetMetricHistoryAsync(runId, "acc", None);
        Assert.Equal(points.OrderBy(p => p.Timestamp).ThenBy(p => p.Step), history);
        Assert.Empty(await Store.GetMetricHistoryAsync(runId, "never-logged", None));
    }

    [ContractFact]
    public async Task Params_cannot_change_but_may_be_logged_again_unchanged()
    {
        var runId = await NewRunAsync();
        await Store.LogParamAsync(runId, new Param("lr", "0.1"), None);

        await Store.LogParamAsync(runId, new Param("lr", "0.1"), None);
        var changed = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogParamAsync(runId, new Param("lr", "0.2"), None));
        var twice = await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.LogBatchAsync(runId, [], [new Param("depth", "3"), new Param("depth", "4")], [], None));

        Assert.Equal("param 'lr' was already logged with value '0.1'; a run's params cannot change (got '0.2')", changed.Message);
        Assert.Contains("'depth'", twice.Message, StringComparison.Ordinal);
        Assert.Equal([new Param("lr", "0.1")], (await Store.GetRunAsync(runId, None)).Data.Params);
    }

    [ContractFact]
    public async Task Tags_overwrite_and_the_run_name_tag_renames_the_run()
    {
        var runId = await NewRunAsync();

        await Store.SetTagAsync(runId, new RunTag("phase", "train"), None);
        await Store.SetTagAsync(runId, new RunTag("phase", "eval"), None);
        await Store.LogBatchAsync(runId, [], [], [new RunTag("color", "red"), new RunTag("color", "blue"), new RunTag("mlflow.runName", "by-tag")], None);

        var run = await Store.GetRunAsync(runId, None);
        Assert.Equal([new RunTag("color", "blue"), new RunTag("mlflow.runName", "by-tag"), new RunTag("phase", "eval")], run.Data.Tags);
        Assert.Equal("by-tag", run.Info.RunName);
    }

    [ContractFact]
    public async Task Dataset_inputs_are_stored_once_per_experiment_and_linked_once_per_run()
    {
        var experimentId = await NewExperimentAsync();
        var first = await NewRunAsync(experimentId);
        var second = await NewRunAsync(experimentId);
        var elsewhere = await NewRunAsync();
        var iris = new DatasetInput("iris", "d1", "ferry", "{\"path\":\"iris.csv\"}", "{\"columns\":5}", "{\"rows\":150}", "training");

        await Store.LogInputsAsync(first, [iris, iris], None);
        await Store.LogInputsAsync(first, [iris with { Context = "eval" }], None);
        await Store.LogInputsAsync(second, [iris with { Context = "eval" }, new DatasetInput("iris", "d2", "ferry", "iris-v2.csv")], None);
        await Store.LogInputsAsync(elsewhere, [iris], None);

        Assert.Equal([iris], (await Store.GetRunAsync(first, None)).Inputs);
        Assert.Equal([iris with { Context = "eval" }, new DatasetInput("iris", "d2", "ferry", "iris-v2.csv")], (await Store.GetRunAsync(second, None)).Inputs);
        Assert.Equal(2, AsLong(await ScalarAsync(Store, $"SELECT COUNT(*) FROM datasets WHERE experiment_id = {experimentId}")));
        Assert.Equal(2, AsLong(await ScalarAsync(Store, $"SELECT COUNT(*) FROM datasets WHERE name = 'iris' AND digest = 'd1' AND experiment_id IN ({experimentId}, {(await Store.GetRunAsync(elsewhere, None)).Info.ExperimentId})")));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogInputsAsync(first, [new DatasetInput("", "d", "local", "x")], None));
    }
}
