using Ferry.Tracking.LoggedModels;
using Ferry.Tracking.Predictions;

namespace Ferry.Tracking.Tests;

/// <summary>MLflow 3's logged models and run outputs.</summary>
public abstract partial class TrackingStoreContract
{
    protected ILoggedModelStore LoggedModels => (ILoggedModelStore)Store;

    [ContractFact]
    public async Task Logged_model_is_created_pending_under_the_experiment_location_and_reads_back()
    {
        var experimentId = await NewExperimentAsync();
        var runId = await NewRunAsync(experimentId);

        var created = await LoggedModels.CreateLoggedModelAsync(
            new CreateLoggedModelRequest(experimentId, "model", "sklearn", runId,
                [new LoggedModelKeyValue("mlflow.user", "ana"), new LoggedModelKeyValue("b", "2")], [new LoggedModelKeyValue("alpha", "0.5")]),
            None);
        var read = await LoggedModels.GetLoggedModelAsync(created.ModelId, None);

        Assert.Matches("^m-[0-9a-f]{32}$", created.ModelId);
        Assert.Equal(LoggedModelStatus.Pending, read.Status);
        Assert.Equal($"{ArtifactRoot}/{experimentId}/models/{created.ModelId}/artifacts", read.ArtifactUri);
        Assert.Equal(("model", "sklearn", runId, experimentId), (read.Name, read.ModelType, read.SourceRunId, read.ExperimentId));
        Assert.Equal([new LoggedModelKeyValue("b", "2"), new LoggedModelKeyValue("mlflow.user", "ana")], read.Tags);
        Assert.Equal([new LoggedModelKeyValue("alpha", "0.5")], read.Params);
        Assert.True(read.CreationTimestamp > 0);
        Assert.Equal(read.CreationTimestamp, read.LastUpdatedTimestamp);
        Assert.NotEqual(created.ModelId, (await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId), None)).ModelId);
    }

    [ContractFact]
    public async Task Logged_model_is_finalized_tagged_and_deleted()
    {
        var experimentId = await NewExperimentAsync();
        var model = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, "m", Tags: [new LoggedModelKeyValue("k", "1")]), None);

        var ready = await LoggedModels.FinalizeLoggedModelAsync(model.ModelId, LoggedModelStatus.Ready, None);
        await LoggedModels.SetLoggedModelTagsAsync(model.ModelId, [new LoggedModelKeyValue("k", "2"), new LoggedModelKeyValue("z", "3")], None);
        await LoggedModels.DeleteLoggedModelTagAsync(model.ModelId, "z", None);
        await LoggedModels.LogLoggedModelParamsAsync(model.ModelId, [new LoggedModelKeyValue("p", "v")], None);
        var read = await LoggedModels.GetLoggedModelAsync(model.ModelId, None);

        Assert.Equal(LoggedModelStatus.Ready, ready.Status);
        Assert.True(ready.LastUpdatedTimestamp > model.LastUpdatedTimestamp);
        Assert.Equal([new LoggedModelKeyValue("k", "2")], read.Tags);
        Assert.Equal([new LoggedModelKeyValue("p", "v")], read.Params);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.DeleteLoggedModelTagAsync(model.ModelId, "z", None));

        await LoggedModels.DeleteLoggedModelAsync(model.ModelId, None);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.GetLoggedModelAsync(model.ModelId, None));
    }

    [ContractFact]
    public async Task Logged_model_errors_use_mlflow_codes()
    {
        var missing = "m-" + Guid.NewGuid().ToString("N");
        var experimentId = await NewExperimentAsync();

        Assert.Contains(missing, (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.GetLoggedModelAsync(missing, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.FinalizeLoggedModelAsync(missing, LoggedModelStatus.Ready, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.SetLoggedModelTagsAsync(missing, [new LoggedModelKeyValue("k", "v")], None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.DeleteLoggedModelAsync(missing, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest("987654"), None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, SourceRunId: "nope"), None));
        Assert.Contains("key", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, Tags: [new LoggedModelKeyValue("", "v")]), None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => LoggedModels.FinalizeLoggedModelAsync(missing, (LoggedModelStatus)42, None));
        Assert.Contains("name = ", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            LoggedModels.SearchLoggedModelsAsync([experimentId], "metrics.acc > 1", 10, None))).Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Logged_model_search_filters_by_experiment_and_name_newest_first()
    {
        var first = await NewExperimentAsync();
        var second = await NewExperimentAsync();
        var a = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(first, "model"), None);
        var b = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(first, "other"), None);
        var c = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(second, "model"), None);

        Assert.Equal([b.ModelId, a.ModelId], (await LoggedModels.SearchLoggedModelsAsync([first], null, 50, None)).Select(m => m.ModelId));
        Assert.Equal([a.ModelId], (await LoggedModels.SearchLoggedModelsAsync([first], "name = 'model'", 50, None)).Select(m => m.ModelId));
        Assert.Equal([c.ModelId, a.ModelId], (await LoggedModels.SearchLoggedModelsAsync([first, second], "name = \"model\"", 50, None)).Select(m => m.ModelId));
        Assert.Equal([c.ModelId], (await LoggedModels.SearchLoggedModelsAsync([first, second], "name = 'model'", 1, None)).Select(m => m.ModelId));
        Assert.Empty(await LoggedModels.SearchLoggedModelsAsync([first], "name = 'notes.txt'", 50, None));
        Assert.Empty(await LoggedModels.SearchLoggedModelsAsync(["no-such-id"], null, 50, None));
    }

    [ContractFact]
    public async Task Run_outputs_record_models_once_per_run_and_vanish_with_the_model()
    {
        var experimentId = await NewExperimentAsync();
        var runId = await NewRunAsync(experimentId);
        var model = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, SourceRunId: runId), None);
        var other = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId), None);

        Assert.Empty(await LoggedModels.GetRunOutputsAsync(runId, None));
        await LoggedModels.LogRunOutputsAsync(runId, [new ModelOutput(model.ModelId, 0)], None);
        await LoggedModels.LogRunOutputsAsync(runId, [new ModelOutput(model.ModelId, 3), new ModelOutput(other.ModelId, 1)], None);

        var expected = new[] { new ModelOutput(model.ModelId, 3), new ModelOutput(other.ModelId, 1) }.OrderBy(o => o.ModelId, StringComparer.Ordinal);
        Assert.Equal(expected, await LoggedModels.GetRunOutputsAsync(runId, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.LogRunOutputsAsync(runId, [new ModelOutput("m-missing", 0)], None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.LogRunOutputsAsync("no-run", [new ModelOutput(model.ModelId, 0)], None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => LoggedModels.GetRunOutputsAsync("no-run", None));

        await LoggedModels.DeleteLoggedModelAsync(other.ModelId, None);
        Assert.Equal([new ModelOutput(model.ModelId, 3)], await LoggedModels.GetRunOutputsAsync(runId, None));
    }

    [ContractFact]
    public async Task A_store_from_before_logged_models_is_upgraded_in_place()
    {
        var location = await NewLocationAsync();
        string experimentId;
        await using (var old = await OpenAsync(location))
        {
            experimentId = await old.CreateExperimentAsync("made-before-logged-models", null, null, None);
            // A schema-2 store: neither logged models nor the prediction log (which came after them).
            foreach (var table in new[] { "logged_models", "logged_model_tags", "logged_model_params", "run_model_outputs", "prediction_log" })
            {
                await ScalarAsync(old, $"DROP TABLE {table}");
            }

            await ScalarAsync(old, "DELETE FROM schema_migrations WHERE component = 'tracking' AND version >= 3");
        }

        await using var upgraded = await OpenAsync(location);
        var model = await ((ILoggedModelStore)upgraded).CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId), None);
        await ((IPredictionLog)upgraded).AppendAsync([new LoggedPrediction("r-1", "after-upgrade", 1, 5, 1.5, "[]", "[]")], None);

        Assert.Equal(experimentId, model.ExperimentId);
        Assert.Single(await ((IPredictionLog)upgraded).ReadAsync(new PredictionQuery("after-upgrade"), None));
        Assert.Equal(SchemaVersion, AsLong(await ScalarAsync(upgraded, "SELECT MAX(version) FROM schema_migrations WHERE component = 'tracking'")));
    }
}
