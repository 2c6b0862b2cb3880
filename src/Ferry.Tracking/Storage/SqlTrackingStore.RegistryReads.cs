using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Storage;

/// <summary>How the registry reads its rows back into records.</summary>
public abstract partial class SqlTrackingStore
{
    private const string VersionColumns =
        "v.name, v.version, v.creation_time, v.last_updated_time, v.description, v.user_id, v.current_stage, v.source, v.run_id, v.run_link, "
        + "v.status, v.status_message, v.model_id, v.dataset_versions, v.signature";

    private static FerryException ModelNotFound(string? name) =>
        TrackingErrors.NotFound($"registered model '{name}' does not exist: check the name");

    private static FerryException VersionNotFound(string? name, int version) =>
        TrackingErrors.NotFound($"model version {version.ToString(CultureInfo.InvariantCulture)} of registered model '{name}' does not exist: check the name and version");

    private static async Task RequireModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        if (await Db.ScalarAsync(connection, transaction, "SELECT 1 FROM registered_models WHERE name = @n", cancellationToken, ("@n", name ?? "")) is null)
        {
            throw ModelNotFound(name);
        }
    }

    /// <summary>
    /// Takes the model's row lock for the rest of the transaction (a no-op update: PostgreSQL locks the row, SQLite already
    /// holds the write lock), so concurrent writes to one model, such as two archiving transitions, run one after the other.
    /// </summary>
    private static async Task LockModelAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        if (await Db.ExecuteAsync(connection, transaction, "UPDATE registered_models SET last_version = last_version WHERE name = @n", cancellationToken, ("@n", name ?? "")) == 0)
        {
            throw ModelNotFound(name);
        }
    }

    private static async Task<ModelVersion> RequireVersionAsync(DbConnection connection, DbTransaction? transaction, string name, int version, CancellationToken cancellationToken)
    {
        var found = await QueryVersionsAsync(connection, transaction, "WHERE v.name = @n AND v.version = @v", cancellationToken, ("@n", name ?? ""), ("@v", version));
        if (found.Count == 1)
        {
            return found[0];
        }

        // Say which part is wrong: the model or only the version.
        await RequireModelAsync(connection, transaction, name!, cancellationToken);
        throw VersionNotFound(name, version);
    }

    /// <summary>Model versions matching <paramref name="tail"/> (WHERE/ORDER/LIMIT over <c>model_versions v</c>), with their tags and aliases.</summary>
    private static async Task<List<ModelVersion>> QueryVersionsAsync(
        DbConnection connection, DbTransaction? transaction, string tail, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var rows = new List<ModelVersion>();
        await using (var command = Db.Command(connection, transaction, $"SELECT {VersionColumns} FROM model_versions v {tail}", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ModelVersion(
                    reader.GetString(0), checked((int)Db.Long(reader, 1)), Db.Long(reader, 2), Db.Long(reader, 3), reader.GetString(4), reader.GetString(5),
                    Enum.Parse<ModelStage>(reader.GetString(6)), reader.GetString(7), Db.NullableString(reader, 8), reader.GetString(9),
                    ModelStages.ParseStatus(reader.GetString(10)), Db.NullableString(reader, 11), [], [], Db.NullableString(reader, 12),
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(13)) ?? [], Db.NullableString(reader, 14)));
            }
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        var tags = new Dictionary<(string, int), List<RegistryTag>>();
        var aliases = new Dictionary<(string, int), List<string>>();
        foreach (var chunk in rows.Select(r => r.Name).Distinct().Chunk(500))
        {
            await using (var command = Db.Command(connection, transaction, ""))
            {
                command.CommandText = $"SELECT name, version, key, value FROM model_version_tags WHERE name IN ({Db.InList(command, "n", chunk)}) ORDER BY key";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Group(tags, (reader.GetString(0), (int)Db.Long(reader, 1)), new RegistryTag(reader.GetString(2), reader.GetString(3)));
                }
            }

            await using (var command = Db.Command(connection, transaction, ""))
            {
                command.CommandText = $"SELECT name, version, alias FROM registered_model_aliases WHERE name IN ({Db.InList(command, "n", chunk)}) ORDER BY alias";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Group(aliases, (reader.GetString(0), (int)Db.Long(reader, 1)), reader.GetString(2));
                }
            }
        }

        return rows.ConvertAll(r => r with
        {
            Tags = tags.TryGetValue((r.Name, r.Version), out var t) ? t : [],
            Aliases = aliases.TryGetValue((r.Name, r.Version), out var a) ? a : [],
        });
    }

    /// <summary>The registered models named in <paramref name="names"/>, in that order, with tags, aliases and latest versions.</summary>
    private static async Task<List<RegisteredModel>> ReadModelsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var models = new Dictionary<string, RegisteredModel>();
        var tags = new Dictionary<string, List<RegistryTag>>();
        var aliases = new Dictionary<string, List<ModelAlias>>();
        var latest = new Dictionary<string, List<ModelVersion>>();
        foreach (var chunk in names.Chunk(500))
        {
            await using (var command = Db.Command(connection, transaction, ""))
            {
                command.CommandText = $"SELECT name, creation_time, last_updated_time, description FROM registered_models WHERE name IN ({Db.InList(command, "n", chunk)})";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    models[reader.GetString(0)] = new RegisteredModel(reader.GetString(0), Db.Long(reader, 1), Db.Long(reader, 2), reader.GetString(3), [], [], []);
                }
            }

            await using (var command = Db.Command(connection, transaction, ""))
            {
                command.CommandText = $"SELECT name, key, value FROM registered_model_tags WHERE name IN ({Db.InList(command, "n", chunk)}) ORDER BY key";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Group(tags, reader.GetString(0), new RegistryTag(reader.GetString(1), reader.GetString(2)));
                }
            }

            await using (var command = Db.Command(connection, transaction, ""))
            {
                command.CommandText = $"SELECT name, alias, version FROM registered_model_aliases WHERE name IN ({Db.InList(command, "n", chunk)}) ORDER BY alias";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Group(aliases, reader.GetString(0), new ModelAlias(reader.GetString(1), (int)Db.Long(reader, 2)));
                }
            }

            var parameters = chunk.Select((n, i) => ("@m" + i.ToString(CultureInfo.InvariantCulture), (object?)n)).ToArray();
            var versions = await QueryVersionsAsync(connection, transaction,
                $"WHERE v.name IN ({string.Join(", ", parameters.Select(p => p.Item1))}) AND v.version = "
                + "(SELECT MAX(l.version) FROM model_versions l WHERE l.name = v.name AND l.current_stage = v.current_stage)",
                cancellationToken, parameters);
            foreach (var version in versions.OrderBy(v => v.CurrentStage))
            {
                Group(latest, version.Name, version);
            }
        }

        return names.Where(models.ContainsKey).Select(n => models[n] with
        {
            Tags = tags.TryGetValue(n, out var t) ? t : [],
            Aliases = aliases.TryGetValue(n, out var a) ? a : [],
            LatestVersions = latest.TryGetValue(n, out var l) ? l : [],
        }).ToList();
    }

    private static async Task<RegisteredModel> ReadModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken) =>
        (await ReadModelsAsync(connection, transaction, [name ?? ""], cancellationToken)) is [var model] ? model : throw ModelNotFound(name);

    private static void Group<TKey, T>(Dictionary<TKey, List<T>> map, TKey key, T item)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(item);
    }
}
