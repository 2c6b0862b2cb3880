using System.Data.Common;
using System.Globalization;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Storage;

/// <summary>Registered models, their tags and aliases, and registry search.</summary>
public abstract partial class SqlTrackingStore : IModelRegistry
{
    /// <summary>The tables keyed by model name that a rename rewrites besides the model and its versions.</summary>
    private static readonly string[] RenamedTables = ["registered_model_tags", "model_version_tags", "registered_model_aliases"];

    /// <summary>Every registry table keyed by model name, children first.</summary>
    private static readonly string[] ModelTables = ["model_version_tags", "registered_model_aliases", "model_versions", "registered_model_tags", "registered_models"];

    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<RegistryTag>? tags, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Description(description, "registered model");
        RegistryValidation.Tags(tags, "registered model tag");
        return await WriteUniqueModelNameAsync(name, async (connection, transaction) =>
        {
            if (await Db.ScalarAsync(connection, transaction, "SELECT 1 FROM registered_models WHERE name = @n", cancellationToken, ("@n", name)) is not null)
            {
                throw ModelNameTaken(name);
            }

            var now = Now();
            await Db.ExecuteAsync(connection, transaction,
                "INSERT INTO registered_models (name, creation_time, last_updated_time, description, last_version) VALUES (@n, @t, @t, @d, 0)", cancellationToken,
                ("@n", name), ("@t", now), ("@d", description ?? ""));
            foreach (var tag in tags ?? [])
            {
                await UpsertModelTagAsync(connection, transaction, name, tag.Key, tag.Value, cancellationToken);
            }

            return await ReadModelAsync(connection, transaction, name, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await ReadModelAsync(connection, null, name, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(newName, "new_name");
        return WriteUniqueModelNameAsync(newName, async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            var now = Now();
            if (newName != name)
            {
                if (await Db.ScalarAsync(connection, transaction, "SELECT 1 FROM registered_models WHERE name = @n", cancellationToken, ("@n", newName)) is not null)
                {
                    throw ModelNameTaken(newName);
                }

                // Versions, tags and aliases follow the model; versions count as updated, as MLflow reports them.
                foreach (var table in RenamedTables)
                {
                    await Db.ExecuteAsync(connection, transaction, $"UPDATE {table} SET name = @new WHERE name = @old", cancellationToken, ("@new", newName), ("@old", name));
                }

                await Db.ExecuteAsync(connection, transaction, "UPDATE model_versions SET name = @new, last_updated_time = @t WHERE name = @old", cancellationToken,
                    ("@new", newName), ("@t", now), ("@old", name));
            }

            await Db.ExecuteAsync(connection, transaction, "UPDATE registered_models SET name = @new, last_updated_time = @t WHERE name = @old", cancellationToken,
                ("@new", newName), ("@t", now), ("@old", name));
            return await ReadModelAsync(connection, transaction, newName, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        RegistryValidation.Description(description, "registered model");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE registered_models SET description = @d, last_updated_time = @t WHERE name = @n", cancellationToken,
                ("@d", description ?? ""), ("@t", Now()), ("@n", name));
            return await ReadModelAsync(connection, transaction, name, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            foreach (var table in ModelTables)
            {
                await Db.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE name = @n", cancellationToken, ("@n", name));
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken)
    {
        RegistryValidation.Tag(key, value, "registered model tag");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await UpsertModelTagAsync(connection, transaction, name, key, value, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken)
    {
        TrackingValidation.Key(key, "registered model tag");
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "DELETE FROM registered_model_tags WHERE name = @n AND key = @k", cancellationToken, ("@n", name), ("@k", key));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ResultPage<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken cancellationToken)
    {
        SearchLimit(maxResults, TrackingLimits.MaxRegisteredModelSearchResults);
        var offset = PageToken.Decode(pageToken);
        var query = RegistrySearch.Build(RegistrySearchTarget.RegisteredModels, filter, orderBy, _dialect.Search);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var names = new List<string>();
        await using (var command = SearchCommand(connection, $"SELECT m.name FROM registered_models m WHERE {query.WhereSql} ORDER BY {query.OrderBySql}", query, maxResults, offset))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        var next = names.Count > maxResults ? PageToken.Encode(offset + maxResults) : null;
        return new ResultPage<RegisteredModel>(await ReadModelsAsync(connection, null, names.Take(maxResults).ToList(), cancellationToken), next);
    }

    /// <inheritdoc />
    public Task SetRegisteredModelAliasAsync(string name, string aliasName, int version, CancellationToken cancellationToken)
    {
        RegistryValidation.Alias(aliasName);
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await RequireVersionAsync(connection, transaction, name, version, cancellationToken);
            // An alias names one version per model: setting it again moves it.
            await Db.ExecuteAsync(connection, transaction,
                "INSERT INTO registered_model_aliases (name, alias, version) VALUES (@n, @a, @v) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
                cancellationToken, ("@n", name), ("@a", aliasName), ("@v", version));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
    {
        RegistryValidation.Alias(aliasName);
        return WriteAsync(async (connection, transaction) =>
        {
            await LockModelAsync(connection, transaction, name, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "DELETE FROM registered_model_aliases WHERE name = @n AND alias = @a", cancellationToken, ("@n", name), ("@a", aliasName));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await RequireModelAsync(connection, null, name, cancellationToken);
        var version = await Db.ScalarAsync(connection, null, "SELECT version FROM registered_model_aliases WHERE name = @n AND alias = @a", cancellationToken,
            ("@n", name), ("@a", aliasName ?? ""));
        if (version is null)
        {
            // MLflow reports an unknown alias as a bad parameter, not a missing resource; clients depend on the code.
            throw TrackingErrors.Invalid($"alias '{aliasName}' of registered model '{name}' not found: set it first, or check the alias");
        }

        return await RequireVersionAsync(connection, null, name, Convert.ToInt32(version, CultureInfo.InvariantCulture), cancellationToken);
    }

    private async Task<T> WriteUniqueModelNameAsync<T>(string name, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(work, cancellationToken);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            // Another writer took the name between our check and our write (PostgreSQL only; SQLite holds the write lock).
            throw ModelNameTaken(name);
        }
    }

    private static FerryException ModelNameTaken(string name) =>
        TrackingErrors.AlreadyExists($"a registered model named '{name}' already exists: choose another name");

    private static void SearchLimit(int maxResults, int limit)
    {
        if (maxResults < 1 || maxResults > limit)
        {
            throw TrackingErrors.Invalid($"max_results is {maxResults}; it must be between 1 and {limit}");
        }
    }

    /// <summary>A search command with the query's parameters and one row more than the page, which tells whether another page exists.</summary>
    private static DbCommand SearchCommand(DbConnection connection, string select, RegistryQuery query, int maxResults, long offset)
    {
        var command = Db.Command(connection, null, select + " LIMIT @x_limit OFFSET @x_offset");
        for (var i = 0; i < query.Parameters.Count; i++)
        {
            Db.Add(command, "@f" + i.ToString(CultureInfo.InvariantCulture), query.Parameters[i]);
        }

        Db.Add(command, "@x_limit", (long)maxResults + 1);
        Db.Add(command, "@x_offset", offset);
        return command;
    }

    private static async Task UpsertModelTagAsync(DbConnection connection, DbTransaction transaction, string name, string key, string value, CancellationToken cancellationToken) =>
        await Db.ExecuteAsync(connection, transaction,
            "INSERT INTO registered_model_tags (name, key, value) VALUES (@n, @k, @v) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@n", name), ("@k", key), ("@v", value));
}
