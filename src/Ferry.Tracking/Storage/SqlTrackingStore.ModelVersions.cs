using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Storage;

/// <summary>Model versions: registration, stages, tags, search and lineage.</summary>
public abstract partial class SqlTrackingStore
{
    private const string GitCommitTag = "mlflow.source.git.commit";

    /// <summary>Every registry table keyed by (name, version), children first.</summary>
    private static readonly string[] VersionTables = ["model_version_tags", "registered_model_aliases", "model_versions"];

    /// <inheritdoc />
    public Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        RegistryValidation.Request(request);
        return WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            // The counter row serialises concurrent registrations (PostgreSQL row lock, SQLite write lock), so numbers never
            // collide, and a deleted version's number is never handed out again, as in MLflow.
            var issued = await Db.ScalarAsync(connection, transaction,
                "UPDATE registered_models SET last_version = last_version + 1, last_updated_time = @t WHERE name = @n RETURNING last_version", cancellationToken,
                ("@t", now), ("@n", request.Name));
            if (issued is null)
            {
                throw ModelNotFound(request.Name);
            }

            var version = Convert.ToInt32(issued, CultureInfo.InvariantCulture);
            var origin = await ResolveOriginAsync(connection, transaction, request, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, """
                INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link,
                                            status, status_message, model_id, dataset_versions, signature)
                VALUES (@n, @v, @t, @t, @d, @u, 'None', @s, @r, @l, 'READY', NULL, @m, @ds, @sig)
                """, cancellationToken,
                ("@n", request.Name), ("@v", version), ("@t", now), ("@d", request.Description ?? ""), ("@u", request.UserId ?? ""), ("@s", request.Source),
                ("@r", origin.RunId), ("@l", request.RunLink ?? ""), ("@m", origin.ModelId),
                ("@ds", JsonSerializer.Serialize(request.DatasetVersions ?? [])), ("@sig", request.Signature));
            foreach (var tag in request.Tags ?? [])
            {
                await UpsertVersionTagAsync(connection, transaction, request.Name, version, tag.Key, tag.Value, cancellationToken);
            }

            if (origin is { Logged: true, ModelId: { } modelId })
            {
                await TagModelWithVersionAsync(connection, transaction, modelId, request.Name, version, cancellationToken);
            }

            return await RequireVersionAsync(connection, transaction, request.Name, version, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await RequireVersionAsync(connection, null, name, version, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken)
    {
        RegistryValidation.Description(description, "model version");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE model_versions SET description = @d, last_updated_time = @t WHERE name = @n AND version = @v", cancellationToken,
                ("@d", description ?? ""), ("@t", Now()), ("@n", name), ("@v", version));
            return await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            foreach (var table in VersionTables)
            {
                await Db.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE name = @n AND version = @v", cancellationToken, ("@n", name), ("@v", version));
            }

            await TouchModelAsync(connection, transaction, name, Now(), cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelStage stage, bool archiveExistingVersions, CancellationToken cancellationToken)
    {
        RegistryValidation.Stage(stage);
        if (archiveExistingVersions && stage is not (ModelStage.Staging or ModelStage.Production))
        {
            throw TrackingErrors.Invalid(
                $"archive_existing_versions cannot be true for stage '{stage}': only Staging and Production archive the versions already there");
        }

        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            var now = Now();
            var stageName = ModelStages.Name(stage);
            if (archiveExistingVersions)
            {
                await Db.ExecuteAsync(connection, transaction,
                    "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = @t WHERE name = @n AND current_stage = @s AND version <> @v", cancellationToken,
                    ("@t", now), ("@n", name), ("@s", stageName), ("@v", version));
            }

            await Db.ExecuteAsync(connection, transaction, "UPDATE model_versions SET current_stage = @s, last_updated_time = @t WHERE name = @n AND version = @v", cancellationToken,
                ("@s", stageName), ("@t", now), ("@n", name), ("@v", version));
            await TouchModelAsync(connection, transaction, name, now, cancellationToken);
            return await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage>? stages, CancellationToken cancellationToken)
    {
        foreach (var stage in stages ?? [])
        {
            RegistryValidation.Stage(stage);
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var model = await ReadModelAsync(connection, null, name, cancellationToken);
        return stages is { Count: > 0 } ? model.LatestVersions.Where(v => stages.Contains(v.CurrentStage)).ToList() : model.LatestVersions;
    }

    /// <inheritdoc />
    public async Task<ResultPage<ModelVersion>> SearchModelVersionsAsync(
        string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken cancellationToken)
    {
        SearchLimit(maxResults, TrackingLimits.MaxModelVersionSearchResults);
        var offset = PageToken.Decode(pageToken);
        var query = RegistrySearch.Build(RegistrySearchTarget.ModelVersions, filter, orderBy, _dialect.Search);
        var parameters = query.Parameters.Select((value, i) => ("@f" + i.ToString(CultureInfo.InvariantCulture), (object?)value))
            .Append(("@x_limit", (long)maxResults + 1)).Append(("@x_offset", offset)).ToArray();
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var found = await QueryVersionsAsync(connection, null, $"WHERE {query.WhereSql} ORDER BY {query.OrderBySql} LIMIT @x_limit OFFSET @x_offset", cancellationToken, parameters);
        return found.Count > maxResults
            ? new ResultPage<ModelVersion>(found.Take(maxResults).ToList(), PageToken.Encode(offset + maxResults))
            : new ResultPage<ModelVersion>(found, null);
    }

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken)
    {
        RegistryValidation.Tag(key, value, "model version tag");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            await UpsertVersionTagAsync(connection, transaction, name, version, key, value, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken)
    {
        TrackingValidation.Key(key, "model version tag");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "DELETE FROM model_version_tags WHERE name = @n AND version = @v AND key = @k", cancellationToken,
                ("@n", name), ("@v", version), ("@k", key));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var found = await RequireVersionAsync(connection, null, name, version, cancellationToken);
        return await StorageLocationAsync(connection, found.Source, found.ModelId, 0, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelLineage> GetLineageAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var modelVersion = await RequireVersionAsync(connection, null, name, version, cancellationToken);
        Model.Run? run = null;
        if (modelVersion.RunId is { } runId && await FindRunInfoAsync(connection, null, runId, cancellationToken) is { } info)
        {
            run = (await ReadRunsAsync(connection, null, [info], cancellationToken))[0];
        }

        var commit = run?.Data.Tags.FirstOrDefault(t => t.Key == GitCommitTag)?.Value;
        return new ModelLineage(modelVersion, run, commit, modelVersion.DatasetVersions);
    }

    private static async Task TouchModelAsync(DbConnection connection, DbTransaction transaction, string name, long now, CancellationToken cancellationToken) =>
        await Db.ExecuteAsync(connection, transaction, "UPDATE registered_models SET last_updated_time = @t WHERE name = @n", cancellationToken, ("@t", now), ("@n", name));

    private static async Task UpsertVersionTagAsync(DbConnection connection, DbTransaction transaction, string name, int version, string key, string value, CancellationToken cancellationToken) =>
        await Db.ExecuteAsync(connection, transaction,
            "INSERT INTO model_version_tags (name, version, key, value) VALUES (@n, @v, @k, @val) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@n", name), ("@v", version), ("@k", key), ("@val", value));
}
