using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Default_experiment_exists_from_the_start()
    {
        var byId = await Store.GetExperimentAsync("0", None);
        var byName = await Store.GetExperimentByNameAsync("Default", None);

        Assert.Equal("Default", byId.Name);
        Assert.Equal(LifecycleStage.Active, byId.LifecycleStage);
        Assert.Equal(ArtifactRoot + "/0", byId.ArtifactLocation);
        Assert.Equal(byId, byName with { Tags = byId.Tags });
    }

    [ContractFact]
    public async Task Created_experiment_reads_back_by_id_and_by_name()
    {
        var name = UniqueName("churn");
        var id = await Store.CreateExperimentAsync(name, null, [new ExperimentTag("team", "growth"), new ExperimentTag("owner", "ana")], None);
        var explicitId = await Store.CreateExperimentAsync(UniqueName("placed"), "s3://bucket/place", null, None);

        var experiment = await Store.GetExperimentAsync(id, None);
        Assert.Equal(name, experiment.Name);
        Assert.Equal($"{ArtifactRoot}/{id}", experiment.ArtifactLocation);
        Assert.Equal(LifecycleStage.Active, experiment.LifecycleStage);
        Assert.True(experiment.CreationTime > 0);
        Assert.Equal(experiment.CreationTime, experiment.LastUpdateTime);
        Assert.Equal([new ExperimentTag("owner", "ana"), new ExperimentTag("team", "growth")], experiment.Tags);
        Assert.Equal(id, (await Store.GetExperimentByNameAsync(name, None)).ExperimentId);
        Assert.Equal("s3://bucket/place", (await Store.GetExperimentAsync(explicitId, None)).ArtifactLocation);
        Assert.NotEqual(id, explicitId);
    }

    [ContractFact]
    public async Task Duplicate_experiment_name_is_refused_even_when_the_first_is_deleted()
    {
        var name = UniqueName("dup");
        var id = await Store.CreateExperimentAsync(name, null, null, None);

        var error = await ThrowsAsync(TrackingErrors.ResourceAlreadyExists, () => Store.CreateExperimentAsync(name, null, null, None));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);

        await Store.DeleteExperimentAsync(id, None);
        await ThrowsAsync(TrackingErrors.ResourceAlreadyExists, () => Store.CreateExperimentAsync(name, null, null, None));
    }

    [ContractFact]
    public async Task Unknown_ids_are_resource_does_not_exist()
    {
        var missingRun = Guid.NewGuid().ToString("N");
        var missingName = UniqueName("missing");

        Assert.Contains("987654", (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetExperimentAsync("987654", None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetExperimentAsync("not-a-number", None));
        Assert.Contains(missingName, (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetExperimentByNameAsync(missingName, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.RenameExperimentAsync("987654", UniqueName("x"), None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.CreateRunAsync(new CreateRunRequest("987654"), None));
        Assert.Contains(missingRun, (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetRunAsync(missingRun, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.UpdateRunAsync(missingRun, RunStatus.Finished, 5, null, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.DeleteRunAsync(missingRun, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.LogMetricAsync(missingRun, M("loss", 1, 1), None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetMetricHistoryAsync(missingRun, "loss", None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.LogInputsAsync(missingRun, [new DatasetInput("d", "1", "local", "x")], None));
    }

    [ContractFact]
    public async Task Rename_changes_the_name_and_refuses_a_taken_one()
    {
        var id = await NewExperimentAsync("before");
        var before = await Store.GetExperimentAsync(id, None);
        var taken = UniqueName("taken");
        await Store.CreateExperimentAsync(taken, null, null, None);
        var after = UniqueName("after");

        await Store.RenameExperimentAsync(id, after, None);

        var renamed = await Store.GetExperimentByNameAsync(after, None);
        Assert.Equal(id, renamed.ExperimentId);
        Assert.True(renamed.LastUpdateTime > before.LastUpdateTime);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.GetExperimentByNameAsync(before.Name, None));
        await ThrowsAsync(TrackingErrors.ResourceAlreadyExists, () => Store.RenameExperimentAsync(id, taken, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.RenameExperimentAsync(id, " ", None));
    }

    [ContractFact]
    public async Task Soft_delete_and_restore_move_an_experiment_and_its_runs_between_view_types()
    {
        var kept = await NewExperimentAsync("kept");
        var dropped = await NewExperimentAsync("dropped");
        var run = await NewRunAsync(dropped);

        await Store.DeleteExperimentAsync(dropped, None);

        Assert.Equal(LifecycleStage.Deleted, (await Store.GetExperimentAsync(dropped, None)).LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, (await Store.GetRunAsync(run, None)).Info.LifecycleStage);
        var active = await AllExperimentIdsAsync(ViewType.ActiveOnly);
        var deleted = await AllExperimentIdsAsync(ViewType.DeletedOnly);
        var all = await AllExperimentIdsAsync(ViewType.All);
        Assert.Contains(kept, active);
        Assert.DoesNotContain(dropped, active);
        Assert.Contains(dropped, deleted);
        Assert.DoesNotContain(kept, deleted);
        Assert.Contains(kept, all);
        Assert.Contains(dropped, all);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.CreateRunAsync(new CreateRunRequest(dropped), None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.DeleteExperimentAsync(dropped, None));

        await Store.RestoreExperimentAsync(dropped, None);

        Assert.Equal(LifecycleStage.Active, (await Store.GetExperimentAsync(dropped, None)).LifecycleStage);
        Assert.Equal(LifecycleStage.Active, (await Store.GetRunAsync(run, None)).Info.LifecycleStage);
        Assert.Contains(dropped, await AllExperimentIdsAsync(ViewType.ActiveOnly));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.RestoreExperimentAsync(dropped, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.DeleteExperimentAsync("0", None));
    }

    [ContractFact]
    public async Task Experiment_tags_set_overwrite_and_delete()
    {
        var id = await NewExperimentAsync();

        await Store.SetExperimentTagAsync(id, "stage", "draft", None);
        await Store.SetExperimentTagAsync(id, "stage", "final", None);
        await Store.SetExperimentTagAsync(id, "note", "", None);
        Assert.Equal([new ExperimentTag("note", ""), new ExperimentTag("stage", "final")], (await Store.GetExperimentAsync(id, None)).Tags);

        await Store.DeleteExperimentTagAsync(id, "note", None);
        Assert.Equal([new ExperimentTag("stage", "final")], (await Store.GetExperimentAsync(id, None)).Tags);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Store.DeleteExperimentTagAsync(id, "note", None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.SetExperimentTagAsync(id, "big", new string('x', TrackingLimits.MaxExperimentTagValueLength + 1), None));
    }

    [ContractFact]
    public async Task Experiment_search_pages_cover_everything_once_newest_first()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await NewExperimentAsync("paged"));
        }

        var seen = new List<Experiment>();
        string? token = null;
        do
        {
            var page = await Store.SearchExperimentsAsync(ViewType.All, 2, token, None);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(seen.Count, seen.Select(e => e.ExperimentId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(e => e.CreationTime).ThenBy(e => long.Parse(e.ExperimentId, System.Globalization.CultureInfo.InvariantCulture)).Select(e => e.ExperimentId), seen.Select(e => e.ExperimentId));
        Assert.Equal(Enumerable.Reverse(created), seen.Select(e => e.ExperimentId).Where(created.Contains));
        Assert.Contains("0", seen.Select(e => e.ExperimentId));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.SearchExperimentsAsync(ViewType.All, 0, null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.SearchExperimentsAsync(ViewType.All, 10, "not a token", None));
    }

    [ContractFact]
    public async Task Experiment_names_are_validated()
    {
        Assert.Contains("name", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.CreateExperimentAsync("", null, null, None))).Message, StringComparison.Ordinal);
        Assert.Contains("500", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.CreateExperimentAsync(new string('n', TrackingLimits.MaxExperimentNameLength + 1), null, null, None))).Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> AllExperimentIdsAsync(ViewType viewType)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.SearchExperimentsAsync(viewType, 1000, token, None);
            ids.AddRange(page.Items.Select(e => e.ExperimentId));
            token = page.NextPageToken;
        }
        while (token is not null);

        return ids;
    }
}
