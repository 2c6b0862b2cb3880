using System.Data.Common;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

public abstract partial class SqlTrackingStore
{
    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<ExperimentTag>? tags, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentName(name);
        tags ??= [];
        foreach (var tag in tags)
        {
            ArgumentNullException.ThrowIfNull(tag);
            TrackingValidation.Key(tag.Key, "experiment tag");
            TrackingValidation.Value(tag.Value, TrackingLimits.MaxExperimentTagValueLength, "experiment tag", tag.Key);
        }

        try
        {
            return await WriteAsync(async (connection, transaction) =>
            {
                await RequireNameFreeAsync(connection, transaction, name, cancellationToken);
                var now = Now();
                // Insert first to learn the id, then derive the default location from it, as MLflow does.
                var id = Convert.ToInt64(await ScalarOrFailAsync(connection, transaction,
                    "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (@n, @a, 'active', @t, @t) RETURNING experiment_id",
                    cancellationToken, ("@n", name), ("@a", artifactLocation ?? ""), ("@t", now)), System.Globalization.CultureInfo.InvariantCulture);
                var experimentId = StoreText.ExperimentId(id);
                if (string.IsNullOrEmpty(artifactLocation))
                {
                    await Db.ExecuteAsync(connection, transaction, "UPDATE experiments SET artifact_location = @a WHERE experiment_id = @id", cancellationToken,
                        ("@a", _options.ExperimentLocation(experimentId)), ("@id", id));
                }

                // The upsert makes a repeated key's last value win.
                foreach (var tag in tags)
                {
                    await UpsertExperimentTagAsync(connection, transaction, id, tag.Key, tag.Value, cancellationToken);
                }

                return experimentId;
            }, cancellationToken);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            // Another writer took the name between our check and our insert (PostgreSQL only; SQLite holds the write lock).
            throw TrackingErrors.AlreadyExists($"an experiment named '{name}' already exists: choose another name");
        }
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        if (!StoreText.TryExperimentId(experimentId, out var id))
        {
            throw ExperimentNotFound(experimentId);
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var found = await QueryExperimentsAsync(connection, null, "WHERE experiment_id = @id", cancellationToken, ("@id", id));
        return found.Count == 1 ? found[0] : throw ExperimentNotFound(experimentId);
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var found = await QueryExperimentsAsync(connection, null, "WHERE name = @n", cancellationToken, ("@n", name ?? ""));
        return found.Count == 1
            ? found[0]
            : throw TrackingErrors.NotFound($"no experiment is named '{name}': check experiment_name, or create it");
    }

    /// <inheritdoc />
    public Task<ResultPage<Experiment>> SearchExperimentsAsync(ViewType viewType, int maxResults, string? pageToken, CancellationToken cancellationToken) =>
        SearchExperimentsAsync(new ExperimentSearchRequest { ViewType = viewType, MaxResults = maxResults, PageToken = pageToken }, cancellationToken);

    /// <inheritdoc />
    public async Task<ResultPage<Experiment>> SearchExperimentsAsync(ExperimentSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrackingValidation.MaxResults(request.MaxResults);
        var offset = PageToken.Decode(request.PageToken);
        var query = Search.ExperimentQueryBuilder.Build(
            Search.ExperimentFilterParser.Parse(request.Filter), Search.ExperimentFilterParser.ParseOrderBy(request.OrderBy), _dialect.Search);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        // One row more than asked tells whether another page exists.
        var found = await QueryExperimentsAsync(connection, null,
            $"WHERE e.lifecycle_stage IN {StoreText.StagesSql(request.ViewType)} AND {query.WhereSql} ORDER BY {query.OrderBySql} LIMIT @limit OFFSET @offset",
            cancellationToken, [.. query.Parameters, ("@limit", (long)request.MaxResults + 1), ("@offset", offset)]);
        return found.Count > request.MaxResults
            ? new ResultPage<Experiment>(found.Take(request.MaxResults).ToList(), PageToken.Encode(offset + request.MaxResults))
            : new ResultPage<Experiment>(found, null);
    }

    /// <inheritdoc />
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken)
    {
        TrackingValidation.ExperimentName(newName, "new_name");
        return WriteUniqueNameAsync(newName, async (connection, transaction) =>
        {
            var id = await RequireExperimentAsync(connection, transaction, experimentId, LifecycleStage.Active, "renaming", cancellationToken);
            if (await ExperimentIdByNameAsync(connection, transaction, newName, cancellationToken) is { } other && other != id)
            {
                throw NameTaken(newName);
            }

            await Db.ExecuteAsync(connection, transaction, "UPDATE experiments SET name = @n, last_update_time = @t WHERE experiment_id = @id", cancellationToken,
                ("@n", newName), ("@t", Now()), ("@id", id));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var id = await RequireExperimentAsync(connection, transaction, experimentId, LifecycleStage.Active, "deleting", cancellationToken);
            if (id == 0)
            {
                throw TrackingErrors.Invalid("the Default experiment (id 0) cannot be deleted");
            }

            var now = Now();
            await Db.ExecuteAsync(connection, transaction, "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = @t WHERE experiment_id = @id", cancellationToken,
                ("@t", now), ("@id", id));
            // MLflow deletes an experiment's runs with it, and restores them with it.
            await Db.ExecuteAsync(connection, transaction,
                "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = @t WHERE experiment_id = @id AND lifecycle_stage = 'active'", cancellationToken,
                ("@t", now), ("@id", id));
        }, cancellationToken);

    /// <inheritdoc />
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var id = await RequireExperimentAsync(connection, transaction, experimentId, LifecycleStage.Deleted, "restoring", cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = @t WHERE experiment_id = @id", cancellationToken,
                ("@t", Now()), ("@id", id));
            await Db.ExecuteAsync(connection, transaction,
                "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = @id AND lifecycle_stage = 'deleted'", cancellationToken,
                ("@id", id));
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken)
    {
        TrackingValidation.Key(key, "experiment tag");
        TrackingValidation.Value(value, TrackingLimits.MaxExperimentTagValueLength, "experiment tag", key);
        return WriteAsync(async (connection, transaction) =>
        {
            var id = await RequireExperimentAsync(connection, transaction, experimentId, LifecycleStage.Active, "tagging", cancellationToken);
            await UpsertExperimentTagAsync(connection, transaction, id, key, value, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteExperimentTagAsync(string experimentId, string key, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var id = await RequireExperimentAsync(connection, transaction, experimentId, LifecycleStage.Active, "untagging", cancellationToken);
            var removed = await Db.ExecuteAsync(connection, transaction, "DELETE FROM experiment_tags WHERE experiment_id = @id AND key = @k", cancellationToken,
                ("@id", id), ("@k", key ?? ""));
            if (removed == 0)
            {
                throw TrackingErrors.NotFound($"experiment '{experimentId}' has no tag '{key}'");
            }
        }, cancellationToken);

    private async Task WriteUniqueNameAsync(string name, Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(work, cancellationToken);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            throw NameTaken(name);
        }
    }

    private static async Task RequireNameFreeAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        if (await ExperimentIdByNameAsync(connection, transaction, name, cancellationToken) is not null)
        {
            throw NameTaken(name);
        }
    }

    private static FerryException NameTaken(string name) =>
        TrackingErrors.AlreadyExists($"an experiment named '{name}' already exists (possibly deleted): choose another name");

    private static FerryException ExperimentNotFound(string? experimentId) =>
        TrackingErrors.NotFound($"experiment '{experimentId}' does not exist: check the experiment_id");

    private static async Task<long?> ExperimentIdByNameAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        await Db.ScalarAsync(connection, transaction, "SELECT experiment_id FROM experiments WHERE name = @n", cancellationToken, ("@n", name)) is { } id
            ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>The numeric id of an experiment that must exist and be in <paramref name="stage"/>.</summary>
    private static async Task<long> RequireExperimentAsync(
        DbConnection connection, DbTransaction? transaction, string experimentId, LifecycleStage stage, string doing, CancellationToken cancellationToken)
    {
        if (!StoreText.TryExperimentId(experimentId, out var id)
            || await Db.ScalarAsync(connection, transaction, "SELECT lifecycle_stage FROM experiments WHERE experiment_id = @id", cancellationToken, ("@id", id)) is not string current)
        {
            throw ExperimentNotFound(experimentId);
        }

        if (StoreText.Stage(current) != stage)
        {
            throw TrackingErrors.Invalid($"experiment '{experimentId}' must be in the '{StoreText.Stage(stage)}' state for {doing} it, but is {current}");
        }

        return id;
    }

    private static async Task UpsertExperimentTagAsync(DbConnection connection, DbTransaction transaction, long id, string key, string value, CancellationToken cancellationToken) =>
        await Db.ExecuteAsync(connection, transaction,
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (@id, @k, @v) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@id", id), ("@k", key), ("@v", value));

    private static async Task<object> ScalarOrFailAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        await Db.ScalarAsync(connection, transaction, sql, cancellationToken, parameters)
        ?? throw new InvalidOperationException("the insert returned no id");

    /// <summary>Experiments matching <paramref name="tail"/> (WHERE/ORDER/LIMIT over <c>experiments e</c>), with their tags.</summary>
    private static async Task<List<Experiment>> QueryExperimentsAsync(
        DbConnection connection, DbTransaction? transaction, string tail, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var rows = new List<(long Id, string Name, string Location, string Stage, long Created, long Updated)>();
        await using (var command = Db.Command(connection, transaction, $"SELECT {ExperimentColumns} FROM experiments e {tail}", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Db.Long(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Db.Long(reader, 4), Db.Long(reader, 5)));
            }
        }

        var tags = new Dictionary<long, List<ExperimentTag>>();
        foreach (var chunk in rows.Select(r => r.Id).Chunk(500))
        {
            await using var command = Db.Command(connection, transaction, "");
            command.CommandText = $"SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ({Db.InList(command, "e", chunk)}) ORDER BY key";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Db.Long(reader, 0);
                if (!tags.TryGetValue(id, out var list))
                {
                    tags[id] = list = [];
                }

                list.Add(new ExperimentTag(reader.GetString(1), reader.GetString(2)));
            }
        }

        return rows.ConvertAll(r => new Experiment(
            StoreText.ExperimentId(r.Id), r.Name, r.Location, StoreText.Stage(r.Stage), r.Created, r.Updated,
            tags.TryGetValue(r.Id, out var list) ? list : []));
    }
}
