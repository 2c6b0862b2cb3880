using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Tests;

/// <summary>The model registry: registered models, versions, stages, aliases and tags.</summary>
public abstract partial class TrackingStoreContract
{
    protected Task<ModelVersion> NewVersionAsync(string model, string? runId = null, string source = "s3://bucket/model") =>
        Registry.CreateModelVersionAsync(new CreateModelVersionRequest(model, source, runId), None);

    protected async Task<string> NewModelAsync(string prefix = "model", int versions = 0)
    {
        var name = UniqueName(prefix);
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        for (var i = 0; i < versions; i++)
        {
            await NewVersionAsync(name);
        }

        return name;
    }

    [ContractFact]
    public async Task Registered_model_reads_back_with_description_and_tags()
    {
        var name = UniqueName("churn");

        var created = await Registry.CreateRegisteredModelAsync(name, "predicts churn", [new RegistryTag("team", "growth"), new RegistryTag("owner", "ana")], None);
        var read = await Registry.GetRegisteredModelAsync(name, None);

        Assert.Equal(name, read.Name);
        Assert.Equal("predicts churn", read.Description);
        Assert.Equal([new RegistryTag("owner", "ana"), new RegistryTag("team", "growth")], read.Tags);
        Assert.True(read.CreationTimestamp > 0);
        Assert.Equal(read.CreationTimestamp, read.LastUpdatedTimestamp);
        Assert.Empty(read.Aliases);
        Assert.Empty(read.LatestVersions);
        Assert.Equal(created.Tags, read.Tags);
        Assert.Equal(created.CreationTimestamp, read.CreationTimestamp);
        Assert.Equal("", (await Registry.CreateRegisteredModelAsync(UniqueName("plain"), null, null, None)).Description);
    }

    [ContractFact]
    public async Task Registry_errors_use_mlflow_codes_and_name_the_field()
    {
        var name = await NewModelAsync(versions: 1);
        var missing = UniqueName("missing");

        Assert.Contains(name, (await ThrowsAsync(TrackingErrors.ResourceAlreadyExists, () => Registry.CreateRegisteredModelAsync(name, null, null, None))).Message, StringComparison.Ordinal);
        Assert.Contains(missing, (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetRegisteredModelAsync(missing, None))).Message, StringComparison.Ordinal);
        Assert.Contains("version 7", (await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetModelVersionAsync(name, 7, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetModelVersionAsync(missing, 1, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => NewVersionAsync(missing));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.UpdateRegisteredModelAsync(missing, "d", None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.DeleteRegisteredModelAsync(missing, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.DeleteModelVersionAsync(name, 9, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.SetModelVersionTagAsync(name, 9, "k", "v", None));
        Assert.Contains("name", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.CreateRegisteredModelAsync(" ", null, null, None))).Message, StringComparison.Ordinal);
        Assert.Contains("source", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => NewVersionAsync(name, source: ""))).Message, StringComparison.Ordinal);
        Assert.Contains("signature", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, "s3://x", Signature: "{not json"), None))).Message, StringComparison.Ordinal);
        Assert.Contains("dataset_versions", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, "s3://x", DatasetVersions: [""]), None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SetRegisteredModelTagAsync(name, "../up", "v", None));
        // Nothing half-written: the refused creates issued no version numbers.
        Assert.Equal(2, (await NewVersionAsync(name)).Version);
    }

    [ContractFact]
    public async Task Model_versions_are_numbered_per_model_and_keep_what_was_registered()
    {
        var runId = await NewRunAsync();
        var name = await NewModelAsync();
        var other = await NewModelAsync();

        var first = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(
            name, $"runs:/{runId}/model", runId, "first cut", [new RegistryTag("framework", "ml.net")], "http://ferry/runs/" + runId, "ana",
            "m-123", ["iris@2", "iris-holdout@1"], """{"inputs": [{"name": "x", "type": "double"}]}"""), None);
        var second = await NewVersionAsync(name);
        var otherFirst = await NewVersionAsync(other);

        Assert.Equal((1, 2, 1), (first.Version, second.Version, otherFirst.Version));
        var read = await Registry.GetModelVersionAsync(name, 1, None);
        Assert.Equal(first, read with { Tags = first.Tags, Aliases = first.Aliases, DatasetVersions = first.DatasetVersions });
        Assert.Equal(name, read.Name);
        Assert.Equal($"runs:/{runId}/model", read.Source);
        Assert.Equal(runId, read.RunId);
        Assert.Equal("first cut", read.Description);
        Assert.Equal("ana", read.UserId);
        Assert.Equal("http://ferry/runs/" + runId, read.RunLink);
        Assert.Equal("m-123", read.ModelId);
        Assert.Equal(ModelStage.None, read.CurrentStage);
        Assert.Equal(ModelVersionStatus.Ready, read.Status);
        Assert.Null(read.StatusMessage);
        Assert.Equal([new RegistryTag("framework", "ml.net")], read.Tags);
        Assert.Equal(["iris@2", "iris-holdout@1"], read.DatasetVersions);
        Assert.Contains("\"double\"", read.Signature, StringComparison.Ordinal);
        Assert.Equal(read.CreationTimestamp, read.LastUpdatedTimestamp);
        Assert.Null(second.RunId);
        Assert.Empty(second.DatasetVersions);
        Assert.Null(second.Signature);
        Assert.Equal($"runs:/{runId}/model", await Registry.GetModelVersionDownloadUriAsync(name, 1, None));

        // Registering a version updates the model, and the model lists its newest version per stage.
        var model = await Registry.GetRegisteredModelAsync(name, None);
        Assert.Equal(second.CreationTimestamp, model.LastUpdatedTimestamp);
        Assert.Equal([2], model.LatestVersions.Select(v => v.Version));
    }

    [ContractFact]
    public async Task Deleted_version_numbers_are_not_reused_and_its_aliases_and_tags_go()
    {
        var name = await NewModelAsync(versions: 2);
        await Registry.SetRegisteredModelAliasAsync(name, "champion", 2, None);
        await Registry.SetModelVersionTagAsync(name, 2, "k", "v", None);

        await Registry.DeleteModelVersionAsync(name, 2, None);

        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetModelVersionAsync(name, 2, None));
        Assert.Equal(3, (await NewVersionAsync(name)).Version);
        var model = await Registry.GetRegisteredModelAsync(name, None);
        Assert.Empty(model.Aliases);
        Assert.Empty((await Registry.GetModelVersionAsync(name, 3, None)).Tags);
        Assert.Equal(0, AsLong(await ScalarAsync(Store, $"SELECT COUNT(*) FROM model_version_tags WHERE name = '{name}'")));
    }

    [ContractFact]
    public async Task Descriptions_update_and_touch_the_update_time()
    {
        var name = await NewModelAsync(versions: 1);
        var before = await Registry.GetRegisteredModelAsync(name, None);

        var model = await Registry.UpdateRegisteredModelAsync(name, "now described", None);
        var version = await Registry.UpdateModelVersionAsync(name, 1, "v1 notes", None);

        Assert.Equal("now described", model.Description);
        Assert.True(model.LastUpdatedTimestamp > before.LastUpdatedTimestamp);
        Assert.Equal("v1 notes", version.Description);
        Assert.True(version.LastUpdatedTimestamp > version.CreationTimestamp);
        Assert.Equal("v1 notes", (await Registry.GetModelVersionAsync(name, 1, None)).Description);
        Assert.Equal("", (await Registry.UpdateRegisteredModelAsync(name, null, None)).Description);
    }

    [ContractFact]
    public async Task Rename_carries_versions_tags_and_aliases_and_refuses_a_taken_name()
    {
        var name = await NewModelAsync(versions: 2);
        var taken = await NewModelAsync();
        var newName = UniqueName("renamed");
        await Registry.SetRegisteredModelTagAsync(name, "team", "growth", None);
        await Registry.SetModelVersionTagAsync(name, 1, "k", "v", None);
        await Registry.SetRegisteredModelAliasAsync(name, "champion", 1, None);

        var renamed = await Registry.RenameRegisteredModelAsync(name, newName, None);

        Assert.Equal(newName, renamed.Name);
        Assert.Equal([new RegistryTag("team", "growth")], renamed.Tags);
        Assert.Equal([new ModelAlias("champion", 1)], renamed.Aliases);
        Assert.All(renamed.LatestVersions, v => Assert.Equal(newName, v.Name));
        var version = await Registry.GetModelVersionAsync(newName, 1, None);
        Assert.Equal([new RegistryTag("k", "v")], version.Tags);
        Assert.Equal(renamed.LastUpdatedTimestamp, version.LastUpdatedTimestamp);
        Assert.Equal(1, (await Registry.GetModelVersionByAliasAsync(newName, "champion", None)).Version);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetRegisteredModelAsync(name, None));
        Assert.Equal(3, (await NewVersionAsync(newName)).Version);
        await ThrowsAsync(TrackingErrors.ResourceAlreadyExists, () => Registry.RenameRegisteredModelAsync(newName, taken, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.RenameRegisteredModelAsync(name, UniqueName("x"), None));
        Assert.Equal(3, (await Registry.GetRegisteredModelAsync(newName, None)).LatestVersions.Single().Version);
    }

    [ContractFact]
    public async Task Deleting_a_model_removes_its_versions_tags_and_aliases()
    {
        var name = await NewModelAsync(versions: 3);
        await Registry.SetRegisteredModelTagAsync(name, "team", "growth", None);
        await Registry.SetModelVersionTagAsync(name, 2, "k", "v", None);
        await Registry.SetRegisteredModelAliasAsync(name, "champion", 2, None);
        var kept = await NewModelAsync(versions: 1);

        await Registry.DeleteRegisteredModelAsync(name, None);

        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetRegisteredModelAsync(name, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetModelVersionAsync(name, 1, None));
        foreach (var table in new[] { "registered_models", "registered_model_tags", "model_versions", "model_version_tags", "registered_model_aliases" })
        {
            Assert.Equal(0, AsLong(await ScalarAsync(Store, $"SELECT COUNT(*) FROM {table} WHERE name = '{name}'")));
        }

        Assert.Equal(1, (await Registry.GetModelVersionAsync(kept, 1, None)).Version);
        // The name is free again, and a new model under it starts from version 1.
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        Assert.Equal(1, (await NewVersionAsync(name)).Version);
    }

    [ContractFact]
    public async Task Tags_set_overwrite_and_delete_on_models_and_versions()
    {
        var name = await NewModelAsync(versions: 1);

        await Registry.SetRegisteredModelTagAsync(name, "stage", "a", None);
        await Registry.SetRegisteredModelTagAsync(name, "stage", "b", None);
        await Registry.SetModelVersionTagAsync(name, 1, "validated", "yes", None);
        await Registry.SetModelVersionTagAsync(name, 1, "validated", "no", None);
        Assert.Equal([new RegistryTag("stage", "b")], (await Registry.GetRegisteredModelAsync(name, None)).Tags);
        Assert.Equal([new RegistryTag("validated", "no")], (await Registry.GetModelVersionAsync(name, 1, None)).Tags);

        await Registry.DeleteRegisteredModelTagAsync(name, "stage", None);
        await Registry.DeleteModelVersionTagAsync(name, 1, "validated", None);
        // As in MLflow, deleting a tag that is not there is no error.
        await Registry.DeleteRegisteredModelTagAsync(name, "stage", None);
        await Registry.DeleteModelVersionTagAsync(name, 1, "never-set", None);

        Assert.Empty((await Registry.GetRegisteredModelAsync(name, None)).Tags);
        Assert.Empty((await Registry.GetModelVersionAsync(name, 1, None)).Tags);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.DeleteRegisteredModelTagAsync(UniqueName("missing"), "stage", None));
    }

    [ContractFact]
    public async Task Stage_transitions_archive_existing_versions_only_when_asked()
    {
        var name = await NewModelAsync(versions: 4);

        await Registry.TransitionModelVersionStageAsync(name, 1, ModelStage.Production, false, None);
        var second = await Registry.TransitionModelVersionStageAsync(name, 2, ModelStage.Production, false, None);
        Assert.Equal(ModelStage.Production, second.CurrentStage);
        Assert.Equal(ModelStage.Production, (await Registry.GetModelVersionAsync(name, 1, None)).CurrentStage);

        var third = await Registry.TransitionModelVersionStageAsync(name, 3, ModelStage.Production, true, None);
        Assert.Equal(ModelStage.Production, third.CurrentStage);
        Assert.Equal(ModelStage.Archived, (await Registry.GetModelVersionAsync(name, 1, None)).CurrentStage);
        var archived = await Registry.GetModelVersionAsync(name, 2, None);
        Assert.Equal(ModelStage.Archived, archived.CurrentStage);
        Assert.Equal(third.LastUpdatedTimestamp, archived.LastUpdatedTimestamp);
        Assert.Equal(third.LastUpdatedTimestamp, (await Registry.GetRegisteredModelAsync(name, None)).LastUpdatedTimestamp);

        // Archiving in one stage leaves other stages alone.
        await Registry.TransitionModelVersionStageAsync(name, 4, ModelStage.Staging, true, None);
        Assert.Equal(ModelStage.Production, (await Registry.GetModelVersionAsync(name, 3, None)).CurrentStage);

        Assert.Contains("archive_existing_versions", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () =>
            Registry.TransitionModelVersionStageAsync(name, 4, ModelStage.Archived, true, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.TransitionModelVersionStageAsync(name, 4, (ModelStage)42, false, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.TransitionModelVersionStageAsync(name, 99, ModelStage.Staging, false, None));
        Assert.Equal(ModelStage.Staging, (await Registry.GetModelVersionAsync(name, 4, None)).CurrentStage);
    }

    [ContractFact]
    public void Stage_names_parse_as_mlflow_parses_them()
    {
        Assert.Equal(ModelStage.Production, ModelStages.Parse("production"));
        Assert.Equal(ModelStage.None, ModelStages.Parse("NONE"));
        Assert.Equal("Staging", ModelStages.Name(ModelStage.Staging));
        Assert.Equal("PENDING_REGISTRATION", ModelStages.StatusName(ModelVersionStatus.PendingRegistration));
        var error = Assert.Throws<FerryException>(() => ModelStages.Parse("Prod"));
        Assert.Equal(TrackingErrors.InvalidParameterValue, error.Code);
        Assert.Contains("stage 'Prod'", error.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Latest_versions_are_the_highest_number_in_each_stage()
    {
        var name = await NewModelAsync(versions: 5);
        await Registry.TransitionModelVersionStageAsync(name, 1, ModelStage.Production, false, None);
        await Registry.TransitionModelVersionStageAsync(name, 2, ModelStage.Production, false, None);
        await Registry.TransitionModelVersionStageAsync(name, 3, ModelStage.Staging, false, None);
        await Registry.TransitionModelVersionStageAsync(name, 5, ModelStage.Archived, false, None);

        var all = await Registry.GetLatestVersionsAsync(name, null, None);
        var production = await Registry.GetLatestVersionsAsync(name, [ModelStage.Production], None);
        var some = await Registry.GetLatestVersionsAsync(name, [ModelStage.Archived, ModelStage.None], None);

        Assert.Equal([(ModelStage.None, 4), (ModelStage.Staging, 3), (ModelStage.Production, 2), (ModelStage.Archived, 5)], all.Select(v => (v.CurrentStage, v.Version)));
        Assert.Equal([2], production.Select(v => v.Version));
        Assert.Equal([4, 5], some.Select(v => v.Version));
        Assert.Equal(all.Select(v => v.Version), (await Registry.GetRegisteredModelAsync(name, None)).LatestVersions.Select(v => v.Version));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetLatestVersionsAsync(UniqueName("missing"), null, None));
    }

    [ContractFact]
    public async Task Aliases_point_move_resolve_and_delete()
    {
        var name = await NewModelAsync(versions: 2);

        await Registry.SetRegisteredModelAliasAsync(name, "champion", 1, None);
        await Registry.SetRegisteredModelAliasAsync(name, "challenger", 2, None);
        Assert.Equal(1, (await Registry.GetModelVersionByAliasAsync(name, "champion", None)).Version);
        Assert.Equal(["champion"], (await Registry.GetModelVersionAsync(name, 1, None)).Aliases);

        await Registry.SetRegisteredModelAliasAsync(name, "champion", 2, None);
        var moved = await Registry.GetModelVersionByAliasAsync(name, "champion", None);
        Assert.Equal(2, moved.Version);
        Assert.Equal(["challenger", "champion"], moved.Aliases);
        Assert.Empty((await Registry.GetModelVersionAsync(name, 1, None)).Aliases);
        Assert.Equal([new ModelAlias("challenger", 2), new ModelAlias("champion", 2)], (await Registry.GetRegisteredModelAsync(name, None)).Aliases);

        await Registry.DeleteRegisteredModelAliasAsync(name, "challenger", None);
        await Registry.DeleteRegisteredModelAliasAsync(name, "never-set", None);
        // MLflow reports an unknown alias as INVALID_PARAMETER_VALUE, not as a missing resource.
        var error = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.GetModelVersionByAliasAsync(name, "challenger", None));
        Assert.Contains("challenger", error.Message, StringComparison.Ordinal);
        Assert.Equal([new ModelAlias("champion", 2)], (await Registry.GetRegisteredModelAsync(name, None)).Aliases);
    }

    [ContractFact]
    public async Task Bad_aliases_are_refused_naming_the_alias()
    {
        var name = await NewModelAsync(versions: 1);

        foreach (var alias in new[] { "latest", "LATEST", "v1", "V12", "has space", "dot.ted", "", new string('a', 256) })
        {
            var error = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SetRegisteredModelAliasAsync(name, alias, 1, None));
            Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        }

        await Registry.SetRegisteredModelAliasAsync(name, "v1-candidate_2", 1, None);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.SetRegisteredModelAliasAsync(name, "champion", 5, None));
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.SetRegisteredModelAliasAsync(UniqueName("missing"), "champion", 1, None));
        Assert.Equal([new ModelAlias("v1-candidate_2", 1)], (await Registry.GetRegisteredModelAsync(name, None)).Aliases);
    }
}
