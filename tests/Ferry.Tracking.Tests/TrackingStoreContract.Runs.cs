using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Run_lifecycle_from_start_to_finish_delete_and_restore()
    {
        var experimentId = await NewExperimentAsync();
        var created = await Store.CreateRunAsync(new CreateRunRequest(experimentId, "ana", "first-try", 1_700_000_000_000, [new RunTag("mlflow.source.name", "train.py")]), None);

        var info = created.Info;
        Assert.Matches("^[0-9a-f]{32}$", info.RunId);
        Assert.Equal(experimentId, info.ExperimentId);
        Assert.Equal("first-try", info.RunName);
        Assert.Equal("ana", info.UserId);
        Assert.Equal(RunStatus.Running, info.Status);
        Assert.Equal(1_700_000_000_000, info.StartTime);
        Assert.Null(info.EndTime);
        Assert.Equal($"{ArtifactRoot}/{experimentId}/{info.RunId}/artifacts", info.ArtifactUri);
        Assert.Equal(LifecycleStage.Active, info.LifecycleStage);
        Assert.Equal([new RunTag("mlflow.runName", "first-try"), new RunTag("mlflow.source.name", "train.py")], created.Data.Tags);
        var read = await Store.GetRunAsync(info.RunId, None);
        Assert.Equal(info, read.Info);
        Assert.Equal(created.Data.Tags, read.Data.Tags);

        var updated = await Store.UpdateRunAsync(info.RunId, RunStatus.Finished, 1_700_000_005_000, null, None);
        Assert.Equal(info with { Status = RunStatus.Finished, EndTime = 1_700_000_005_000 }, updated);
        Assert.Equal(updated, (await Store.GetRunAsync(info.RunId, None)).Info);

        await Store.UpdateRunAsync(info.RunId, null, null, "second-name", None);
        var renamed = await Store.GetRunAsync(info.RunId, None);
        Assert.Equal("second-name", renamed.Info.RunName);
        Assert.Equal(RunStatus.Finished, renamed.Info.Status);
        Assert.Contains(new RunTag("mlflow.runName", "second-name"), renamed.Data.Tags);

        await Store.DeleteRunAsync(info.RunId, None);
        Assert.Equal(LifecycleStage.Deleted, (await Store.GetRunAsync(info.RunId, None)).Info.LifecycleStage);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.LogMetricAsync(info.RunId, M("loss", 1, 1), None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.UpdateRunAsync(info.RunId, RunStatus.Failed, null, null, None));

        await Store.RestoreRunAsync(info.RunId, None);
        Assert.Equal(LifecycleStage.Active, (await Store.GetRunAsync(info.RunId, None)).Info.LifecycleStage);
        await Store.LogMetricAsync(info.RunId, M("loss", 1, 1), None);
    }

    [ContractFact]
    public async Task Run_name_comes_from_the_request_then_the_tag_then_is_generated()
    {
        var experimentId = await NewExperimentAsync();

        var fromTag = await Store.CreateRunAsync(new CreateRunRequest(experimentId, Tags: [new RunTag("mlflow.runName", "tagged")]), None);
        var generated = await Store.CreateRunAsync(new CreateRunRequest(experimentId), None);

        Assert.Equal("tagged", fromTag.Info.RunName);
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]+$", generated.Info.RunName);
        Assert.Contains(new RunTag("mlflow.runName", generated.Info.RunName), generated.Data.Tags);
        Assert.True(generated.Info.StartTime > 0);
    }

    [ContractFact]
    public async Task Run_tags_can_be_deleted_once()
    {
        var runId = await NewRunAsync();
        await Store.SetTagAsync(runId, new RunTag("temp", "1"), None);

        await Store.DeleteTagAsync(runId, "temp", None);

        Assert.DoesNotContain((await Store.GetRunAsync(runId, None)).Data.Tags, t => t.Key == "temp");
        Assert.Contains("temp", (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.DeleteTagAsync(runId, "temp", None))).Message, StringComparison.Ordinal);
    }
}
