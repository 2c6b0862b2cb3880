using Ferry.Tracking.Model;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Tests;

/// <summary>Registry search, lineage, concurrent registration and the schema upgrade that added the registry.</summary>
public abstract partial class TrackingStoreContract
{
    private async Task<List<string>> ModelNamesAsync(string filter, IReadOnlyList<string>? orderBy = null, int maxResults = 1000) =>
        (await Registry.SearchRegisteredModelsAsync(filter, maxResults, orderBy, null, None)).Items.Select(m => m.Name).ToList();

    [ContractFact]
    public async Task Registered_models_search_by_name_and_tags()
    {
        var prefix = UniqueName("Search");
        string[] names = [prefix + "-alpha", prefix + "-beta", prefix + "-prompt", prefix + "-false"];
        foreach (var name in names)
        {
            await Registry.CreateRegisteredModelAsync(name, null, null, None);
        }

        await Registry.SetRegisteredModelTagAsync(names[0], "team", "growth", None);
        await Registry.SetRegisteredModelTagAsync(names[1], "team", "risk", None);
        await Registry.SetRegisteredModelTagAsync(names[2], "mlflow.prompt.is_prompt", "true", None);
        await Registry.SetRegisteredModelTagAsync(names[3], "mlflow.prompt.is_prompt", "false", None);

        Assert.Equal([names[0]], await ModelNamesAsync($"name = '{names[0]}'"));
        Assert.Equal(names.Order(StringComparer.Ordinal), await ModelNamesAsync($"name LIKE '{prefix}%'"));
        Assert.Empty(await ModelNamesAsync($"name LIKE '{prefix.ToLowerInvariant()}%'"));
        Assert.Equal(names.Order(StringComparer.Ordinal), await ModelNamesAsync($"name ILIKE '{prefix.ToLowerInvariant()}%'"));
        Assert.Equal([names[1], names[3], names[2]], await ModelNamesAsync($"name LIKE '{prefix}%' AND name != '{names[0]}'"));
        Assert.Equal([names[0]], await ModelNamesAsync($"name LIKE '{prefix}%' AND tags.team = 'growth'"));
        Assert.Equal([names[0], names[1]], await ModelNamesAsync($"name LIKE '{prefix}%' AND tags.team LIKE '%'"));
        Assert.Equal([names[1]], await ModelNamesAsync($"name LIKE '{prefix}%' and tag.\"team\" ILIKE 'RISK'"));
        Assert.Equal([names[2]], await ModelNamesAsync($"name LIKE '{prefix}%' AND tags.mlflow.prompt.is_prompt = 'true'"));

        // What MLflow's client sends for search_registered_models(): models without the tag count as "not a prompt".
        var notPrompts = await ModelNamesAsync($"tag.`mlflow.prompt.is_prompt` != 'true' AND name LIKE '{prefix}%'");
        Assert.Equal([names[0], names[1], names[3]], notPrompts);
        Assert.Contains(names[0], await ModelNamesAsync("tag.`mlflow.prompt.is_prompt` != 'true'", maxResults: 1000));
    }

    [ContractFact]
    public async Task Registered_models_page_and_order()
    {
        var prefix = UniqueName("page");
        var names = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        foreach (var name in names.AsEnumerable().Reverse())
        {
            await Registry.CreateRegisteredModelAsync(name, null, null, None);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Registry.SearchRegisteredModelsAsync($"name LIKE '{prefix}%'", 2, null, token, None);
            seen.AddRange(page.Items.Select(m => m.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(names, seen);
        Assert.Equal(3, pages);
        // Created in reverse, so newest update first is the name order reversed.
        Assert.Equal(names.AsEnumerable().Reverse(), await ModelNamesAsync($"name LIKE '{prefix}%'", ["last_updated_timestamp ASC"]));
        Assert.Equal(names, await ModelNamesAsync($"name LIKE '{prefix}%'", ["last_updated_timestamp DESC"]));
        Assert.Equal(names.AsEnumerable().Reverse(), await ModelNamesAsync($"name LIKE '{prefix}%'", ["name DESC"]));
    }

    [ContractFact]
    public async Task Malformed_registry_searches_are_invalid_parameter_value()
    {
        var search = (string filter) => Registry.SearchRegisteredModelsAsync(filter, 10, null, null, None);

        Assert.Contains("run_id", (await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => search("run_id = 'x'"))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => search("name > 'a'"));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => search("name = 'a' OR name = 'b'"));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => search("name = a"));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => search("name = 'unterminated"));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchRegisteredModelsAsync(null, 0, null, null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchRegisteredModelsAsync(null, 1001, null, null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchRegisteredModelsAsync(null, 10, ["creation_timestamp"], null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchRegisteredModelsAsync(null, 10, null, "garbage", None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchModelVersionsAsync("version_number = 'one'", 10, null, null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchModelVersionsAsync("run_id LIKE 'a%'", 10, null, null, None));
        await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Registry.SearchModelVersionsAsync("creation_timestamp > 1", 10, null, null, None));
    }

    [ContractFact]
    public async Task Model_versions_search_by_name_run_source_version_and_tags()
    {
        var runA = await NewRunAsync();
        var runB = await NewRunAsync();
        var name = await NewModelAsync();
        var other = await NewModelAsync();
        await NewVersionAsync(name, runA, $"runs:/{runA}/model");
        await NewVersionAsync(name, runB, $"runs:/{runB}/model");
        await NewVersionAsync(name, null, "s3://bucket/manual");
        await NewVersionAsync(other, runA, $"runs:/{runA}/other");
        await Registry.SetModelVersionTagAsync(name, 2, "validated", "yes", None);

        async Task<List<(string, int)>> Versions(string filter, IReadOnlyList<string>? orderBy = null) =>
            (await Registry.SearchModelVersionsAsync(filter, 10_000, orderBy, null, None)).Items.Select(v => (v.Name, v.Version)).ToList();

        Assert.Equal([(name, 3), (name, 2), (name, 1)], await Versions($"name='{name}'"));
        Assert.Equal([(name, 1), (name, 2), (name, 3)], await Versions($"name = '{name}'", ["version_number ASC"]));
        Assert.Equal([(other, 1), (name, 1)], await Versions($"run_id = '{runA}'"));
        Assert.Equal([(name, 2), (name, 1)], await Versions($"name = '{name}' AND run_id IN ('{runA}', '{runB}')"));
        // As in MLflow's SQL, a version without a run is neither equal nor unequal to a run id.
        Assert.Equal([(name, 1)], await Versions($"name = '{name}' AND run_id != '{runB}'"));
        Assert.Equal([(name, 3)], await Versions($"name = '{name}' AND source_path LIKE 's3://%'"));
        Assert.Equal([(name, 3), (name, 2)], await Versions($"name = '{name}' AND version_number >= 2"));
        Assert.Equal([(name, 2)], await Versions($"name = '{name}' AND tags.validated = 'yes'"));
        Assert.Equal([(name, 3), (name, 1)], await Versions($"name = '{name}' AND tags.validated != 'yes'"));

        var first = await Registry.SearchModelVersionsAsync($"name = '{name}'", 2, null, null, None);
        var second = await Registry.SearchModelVersionsAsync($"name = '{name}'", 2, null, first.NextPageToken, None);
        Assert.Equal([3, 2], first.Items.Select(v => v.Version));
        Assert.Equal([1], second.Items.Select(v => v.Version));
        Assert.Null(second.NextPageToken);
    }

    [ContractFact]
    public async Task Lineage_traces_a_version_to_its_run_data_commit_and_datasets()
    {
        var experimentId = await NewExperimentAsync();
        var runId = await NewRunAsync(experimentId);
        await Store.LogBatchAsync(runId, [M("loss", 0.9, 1, 0), M("loss", 0.2, 2, 1), M("acc", 0.93, 2, 1)],
            [new Param("lr", "0.01")], [new RunTag("mlflow.source.git.commit", "0123abcd")], None);
        await Store.LogInputsAsync(runId, [new DatasetInput("iris", "d1g3st", "ferry", "iris@2", Context: "training")], None);
        var name = await NewModelAsync();
        await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"runs:/{runId}/model", runId, DatasetVersions: ["iris@2"]), None);
        await NewVersionAsync(name);

        var lineage = await Registry.GetLineageAsync(name, 1, None);
        var bare = await Registry.GetLineageAsync(name, 2, None);

        Assert.Equal(1, lineage.Version.Version);
        Assert.NotNull(lineage.Run);
        Assert.Equal(runId, lineage.Run.Info.RunId);
        Assert.Equal(experimentId, lineage.Run.Info.ExperimentId);
        Assert.Equal([new Param("lr", "0.01")], lineage.Run.Data.Params);
        Assert.Equal([M("acc", 0.93, 2, 1), M("loss", 0.2, 2, 1)], lineage.Run.Data.Metrics);
        Assert.Equal("iris", Assert.Single(lineage.Run.Inputs).Name);
        Assert.Equal("0123abcd", lineage.GitCommit);
        Assert.Equal(["iris@2"], lineage.DatasetVersions);

        Assert.Null(bare.Run);
        Assert.Null(bare.GitCommit);
        Assert.Empty(bare.DatasetVersions);
        Assert.Equal(2, bare.Version.Version);
        await ThrowsAsync(TrackingErrors.ResourceDoesNotExist, () => Registry.GetLineageAsync(name, 3, None));

        // A run id that names no run (MLflow does not check it at registration) gives a lineage without a run, not an error.
        await NewVersionAsync(name, Guid.NewGuid().ToString("N"));
        Assert.Null((await Registry.GetLineageAsync(name, 3, None)).Run);
    }

    [ContractFact]
    public async Task Concurrent_registrations_get_versions_one_to_eight()
    {
        var name = await NewModelAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            // Separate store instances, as separate server processes would be.
            await using var store = await OpenAsync(Location);
            return (await ((IModelRegistry)store).CreateModelVersionAsync(new CreateModelVersionRequest(name, "s3://bucket/m"), None)).Version;
        })));

        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
        Assert.Equal(8, (await Registry.SearchModelVersionsAsync($"name = '{name}'", 100, null, null, None)).Items.Count);
    }

    [ContractFact]
    public async Task Concurrent_archiving_promotions_leave_one_version_in_production()
    {
        var name = await NewModelAsync(versions: 6);

        await Task.WhenAll(Enumerable.Range(1, 6).Select(version => Task.Run(async () =>
        {
            await using var store = await OpenAsync(Location);
            await ((IModelRegistry)store).TransitionModelVersionStageAsync(name, version, ModelStage.Production, true, None);
        })));

        var stages = (await Registry.SearchModelVersionsAsync($"name = '{name}'", 100, null, null, None)).Items.Select(v => v.CurrentStage).ToList();
        Assert.Equal(1, stages.Count(s => s == ModelStage.Production));
        Assert.Equal(5, stages.Count(s => s == ModelStage.Archived));
    }

    [ContractFact]
    public async Task A_store_from_before_the_registry_is_upgraded_in_place()
    {
        var location = await NewLocationAsync();
        string experimentId;
        await using (var old = await OpenAsync(location))
        {
            experimentId = await old.CreateExperimentAsync("made-before-the-registry", null, null, None);
            // Turn it back into a schema-1 store: no registry tables, one recorded step.
            foreach (var table in new[] { "registered_models", "registered_model_tags", "model_versions", "model_version_tags", "registered_model_aliases", "logged_models", "logged_model_tags", "logged_model_params", "run_model_outputs", "prediction_log" })
            {
                await ScalarAsync(old, $"DROP TABLE {table}");
            }

            await ScalarAsync(old, "DELETE FROM schema_migrations WHERE component = 'tracking' AND version >= 2");
        }

        await using var upgraded = await OpenAsync(location);
        var registry = (IModelRegistry)upgraded;
        await registry.CreateRegisteredModelAsync("after-upgrade", null, null, None);

        Assert.Equal(1, (await registry.CreateModelVersionAsync(new CreateModelVersionRequest("after-upgrade", "s3://m"), None)).Version);
        Assert.Equal("made-before-the-registry", (await upgraded.GetExperimentAsync(experimentId, None)).Name);
        Assert.Equal(SchemaVersion, AsLong(await ScalarAsync(upgraded, "SELECT MAX(version) FROM schema_migrations WHERE component = 'tracking'")));
    }
}
