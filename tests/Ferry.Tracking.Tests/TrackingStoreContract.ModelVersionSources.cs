using Ferry.Tracking.LoggedModels;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Tests;

/// <summary>Registering MLflow 3 logged models: the <c>mlflow.modelVersions</c> tag, the source run, and where the files are.</summary>
public abstract partial class TrackingStoreContract
{
    private const string ModelVersionsKey = "mlflow.modelVersions";

    [ContractFact]
    public async Task Registering_a_logged_model_tags_it_with_the_version_as_mlflow_writes_it()
    {
        var experimentId = await NewExperimentAsync();
        var runId = await NewRunAsync(experimentId);
        var logged = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, "model", SourceRunId: runId), None);
        var name = UniqueName("lr-model");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);

        var version = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"models:/{logged.ModelId}", ModelId: logged.ModelId), None);

        // MLflow takes the run from the logged model and writes Python's json.dumps of [{name, version}].
        Assert.Equal(runId, version.RunId);
        Assert.Equal(logged.ModelId, version.ModelId);
        var tagged = await LoggedModels.GetLoggedModelAsync(logged.ModelId, None);
        Assert.Equal($$"""[{"name": "{{name}}", "version": 1}]""", tagged.Tags.Single(t => t.Key == ModelVersionsKey).Value);
        Assert.Equal(logged.LastUpdatedTimestamp, tagged.LastUpdatedTimestamp);

        // The MLflow client then appends its own entry (version as a string); a second registration keeps both and adds itself.
        await LoggedModels.SetLoggedModelTagsAsync(logged.ModelId,
            [new LoggedModelKeyValue(ModelVersionsKey, $$"""[{"name": "{{name}}", "version": 1}, {"name": "{{name}}", "version": "1"}]""")], None);
        var other = UniqueName("other-model");
        await Registry.CreateRegisteredModelAsync(other, null, null, None);
        await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(other, $"models:/{logged.ModelId}", RunId: "given-run", ModelId: logged.ModelId), None);
        Assert.Equal(
            $$"""[{"name": "{{name}}", "version": 1}, {"name": "{{name}}", "version": "1"}, {"name": "{{other}}", "version": 1}]""",
            (await LoggedModels.GetLoggedModelAsync(logged.ModelId, None)).Tags.Single(t => t.Key == ModelVersionsKey).Value);
        Assert.Equal("given-run", (await Registry.GetModelVersionAsync(other, 1, None)).RunId);
    }

    [ContractFact]
    public async Task A_models_uri_source_alone_names_the_logged_model_and_its_files()
    {
        var experimentId = await NewExperimentAsync();
        var logged = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, "model"), None);
        var name = UniqueName("m");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);

        var version = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"models:/{logged.ModelId}"), None);

        Assert.Equal(logged.ModelId, version.ModelId);
        Assert.Null(version.RunId);
        Assert.Equal($"models:/{logged.ModelId}", version.Source);
        Assert.Equal(logged.ArtifactUri, await Registry.GetModelVersionDownloadUriAsync(name, 1, None));
        // The tag escapes what json.dumps escapes (ensure_ascii), so a non-ASCII model name round-trips as MLflow writes it.
        var accented = UniqueName("modèle");
        await Registry.CreateRegisteredModelAsync(accented, null, null, None);
        await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(accented, $"models:/{logged.ModelId}"), None);
        Assert.EndsWith($$"""{"name": "{{accented.Replace("è", "\\u00e8", StringComparison.Ordinal)}}", "version": 1}]""",
            (await LoggedModels.GetLoggedModelAsync(logged.ModelId, None)).Tags.Single(t => t.Key == ModelVersionsKey).Value, StringComparison.Ordinal);

        // A version registered from another version's models:/ URI has that version's files.
        var copy = UniqueName("copy");
        await Registry.CreateRegisteredModelAsync(copy, null, null, None);
        await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(copy, $"models:/{name}/1"), None);
        Assert.Equal(logged.ArtifactUri, await Registry.GetModelVersionDownloadUriAsync(copy, 1, None));
    }

    [ContractFact]
    public async Task A_runs_uri_source_naming_a_model_the_run_logged_registers_that_model()
    {
        var experimentId = await NewExperimentAsync();
        var runId = await NewRunAsync(experimentId);
        var early = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, "model", SourceRunId: runId), None);
        var late = await LoggedModels.CreateLoggedModelAsync(new CreateLoggedModelRequest(experimentId, "model", SourceRunId: runId), None);
        await LoggedModels.LogRunOutputsAsync(runId, [new ModelOutput(early.ModelId, 5), new ModelOutput(late.ModelId, 1)], None);
        var name = UniqueName("runs");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);

        var version = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"runs:/{runId}/model"), None);
        var plain = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, $"runs:/{runId}/other", runId), None);

        // The model output at the largest step wins, as MLflow's client picks it.
        Assert.Equal(early.ModelId, version.ModelId);
        Assert.Equal(runId, version.RunId);
        Assert.Contains(ModelVersionsKey, (await LoggedModels.GetLoggedModelAsync(early.ModelId, None)).Tags.Select(t => t.Key));
        Assert.DoesNotContain(ModelVersionsKey, (await LoggedModels.GetLoggedModelAsync(late.ModelId, None)).Tags.Select(t => t.Key));
        Assert.Equal(early.ArtifactUri, await Registry.GetModelVersionDownloadUriAsync(name, version.Version, None));
        Assert.Null(plain.ModelId);
        Assert.Equal($"runs:/{runId}/other", await Registry.GetModelVersionDownloadUriAsync(name, plain.Version, None));
    }

    [ContractFact]
    public async Task A_models_uri_naming_no_logged_model_is_refused_and_writes_nothing()
    {
        var name = UniqueName("ghost");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);

        var refused = await ThrowsAsync(TrackingErrors.ResourceDoesNotExist,
            () => Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, "models:/m-ffffffffffffffffffffffffffffffff"), None));
        Assert.Contains("m-ffffffffffffffffffffffffffffffff", refused.Message, StringComparison.Ordinal);

        // The refusal used up no version number; a model_id Ferry does not know is kept as given and tags nothing.
        var kept = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, "s3://bucket/model", ModelId: "m-00000000000000000000000000000000"), None);
        Assert.Equal((1, "m-00000000000000000000000000000000"), (kept.Version, kept.ModelId));
        Assert.Equal("s3://bucket/model", await Registry.GetModelVersionDownloadUriAsync(name, 1, None));
    }
}
