using System.Globalization;
using System.Text.Json;
using Ferry.Data.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Data.Catalog;

/// <summary>A dataset in the catalog: its name and its latest version.</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="VersionCount">How many versions it has.</param>
/// <param name="Latest">The newest version.</param>
public sealed record DatasetSummary(string Name, int VersionCount, DatasetVersion Latest);

/// <summary>
/// The record of named, versioned datasets, kept in the SQLite store of a Ferry home. Every write is one
/// transaction, so a failed or cancelled <c>data add</c> leaves no row behind.
/// </summary>
public sealed class DatasetCatalog : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    private DatasetCatalog(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and applies pending migrations.</summary>
    public static async Task<DatasetCatalog> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FerryException.Invalid("STORE_UNAVAILABLE", $"cannot create the store folder for {path}: {e.Message.TrimEnd('.')}; choose another --home", inner: e);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            await SqliteMigrator.MigrateAsync(connection, CatalogMigrations.Component, CatalogMigrations.Steps, time, cancellationToken);
            return new DatasetCatalog(connection, time);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 /* NOTADB */ or 11 /* CORRUPT */)
        {
            await connection.DisposeAsync();
            throw FerryException.Invalid("STORE_INVALID", $"{path} is not a Ferry store (SQLite says: {e.Message}); move it aside or choose another --home", inner: e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 14 /* CANTOPEN */ or 8 /* READONLY */)
        {
            await connection.DisposeAsync();
            throw FerryException.Invalid("STORE_UNAVAILABLE", $"cannot open the store {path} for writing (SQLite says: {e.Message}); check permissions or choose another --home", inner: e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Records a dataset version. The same content (hash) already recorded under this name returns that
    /// version unchanged; new content becomes the next version number.
    /// </summary>
    public async Task<AddDatasetResult> AddAsync(
        string name, string contentHash, long rows, DatasetSchema schema, IReadOnlyList<ColumnProfile> profiles,
        string sourcePath, string format, long badRowCount, CancellationToken cancellationToken)
    {
        DatasetNames.Validate(name);
        ArgumentNullException.ThrowIfNull(schema);
        // BEGIN IMMEDIATE (the default here) takes the write lock up front, so two concurrent adds of the
        // same name serialise instead of both picking the same next version number.
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindByHashAsync(name, contentHash, transaction, cancellationToken);
        if (existing is not null)
        {
            return new AddDatasetResult(existing, Created: false);
        }

        var now = _time.GetUtcNow();
        var datasetId = await EnsureDatasetAsync(name, now, transaction, cancellationToken);
        var next = 1 + Convert.ToInt32(
            await ScalarAsync("SELECT COALESCE(MAX(version), 0) FROM catalog_versions WHERE dataset_id = $d", transaction, cancellationToken, ("$d", datasetId)),
            CultureInfo.InvariantCulture);
        var version = new DatasetVersion(name, next, contentHash, rows, schema, profiles, Path.GetFullPath(sourcePath), format, badRowCount, now);

        await using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO catalog_versions (dataset_id, version, content_hash, row_count, label, task, schema_json, profiles_json, source_path, format, bad_row_count, created_at)
                VALUES ($d, $v, $h, $r, $l, $t, $s, $p, $src, $f, $b, $c)
                """;
            insert.Parameters.AddWithValue("$d", datasetId);
            insert.Parameters.AddWithValue("$v", next);
            insert.Parameters.AddWithValue("$h", contentHash);
            insert.Parameters.AddWithValue("$r", rows);
            insert.Parameters.AddWithValue("$l", schema.Label);
            insert.Parameters.AddWithValue("$t", schema.Task.ToString());
            insert.Parameters.AddWithValue("$s", JsonSerializer.Serialize(schema, FerryJson.Compact));
            insert.Parameters.AddWithValue("$p", JsonSerializer.Serialize(profiles, FerryJson.Compact));
            insert.Parameters.AddWithValue("$src", version.SourcePath);
            insert.Parameters.AddWithValue("$f", format);
            insert.Parameters.AddWithValue("$b", badRowCount);
            insert.Parameters.AddWithValue("$c", now.ToString("O", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(CancellationToken.None);
        return new AddDatasetResult(version, Created: true);
    }

    /// <summary>Every dataset with its latest version, by name.</summary>
    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await QueryVersionsAsync("1 = 1", null, [], cancellationToken);
        return [.. all.GroupBy(v => v.Name, StringComparer.Ordinal)
            .Select(g => new DatasetSummary(g.Key, g.Count(), g.MaxBy(v => v.Version)!))
            .OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every version of a dataset, oldest first.</summary>
    /// <exception cref="FerryException">NotFound when no dataset has that name.</exception>
    public async Task<IReadOnlyList<DatasetVersion>> GetVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = await QueryVersionsAsync("d.name = $name", null, [("$name", name)], cancellationToken);
        if (versions.Count == 0)
        {
            var known = await ListAsync(cancellationToken);
            throw FerryException.NotFound("DATASET_NOT_FOUND", known.Count == 0
                ? $"no dataset named '{name}': the catalog is empty (add one with: ferry data add FILE --name {name})"
                : $"no dataset named '{name}' (known: {string.Join(", ", known.Select(k => k.Name))})");
        }

        return versions;
    }

    /// <summary>The version a reference names (its latest version when none is given).</summary>
    /// <exception cref="FerryException">NotFound when the dataset or version does not exist.</exception>
    public async Task<DatasetVersion> GetAsync(DatasetRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var versions = await GetVersionsAsync(reference.Name, cancellationToken);
        if (reference.Version is not { } wanted)
        {
            return versions[^1];
        }

        return versions.FirstOrDefault(v => v.Version == wanted)
            ?? throw FerryException.NotFound("DATASET_VERSION_NOT_FOUND",
                $"dataset '{reference.Name}' has no version {wanted} (versions: {string.Join(", ", versions.Select(v => v.Version))})");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<DatasetVersion?> FindByHashAsync(string name, string hash, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var found = await QueryVersionsAsync("d.name = $name AND v.content_hash = $hash", transaction, [("$name", name), ("$hash", hash)], cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private async Task<long> EnsureDatasetAsync(string name, DateTimeOffset now, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var id = await ScalarAsync("SELECT id FROM catalog_datasets WHERE name = $n", transaction, cancellationToken, ("$n", name));
        if (id is not null)
        {
            return (long)id;
        }

        return (long)(await ScalarAsync("INSERT INTO catalog_datasets (name, created_at) VALUES ($n, $c) RETURNING id", transaction, cancellationToken,
            ("$n", name), ("$c", now.ToString("O", CultureInfo.InvariantCulture))))!;
    }

    private async Task<object?> ScalarAsync(string sql, SqliteTransaction transaction, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<List<DatasetVersion>> QueryVersionsAsync(string where, SqliteTransaction? transaction, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT d.name, v.version, v.content_hash, v.row_count, v.schema_json, v.profiles_json, v.source_path, v.format, v.bad_row_count, v.created_at
            FROM catalog_versions v JOIN catalog_datasets d ON d.id = v.dataset_id
            WHERE {where}
            ORDER BY d.name, v.version
            """;
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        var versions = new List<DatasetVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new DatasetVersion(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetString(2),
                reader.GetInt64(3),
                JsonSerializer.Deserialize<DatasetSchema>(reader.GetString(4), FerryJson.Compact)!,
                JsonSerializer.Deserialize<List<ColumnProfile>>(reader.GetString(5), FerryJson.Compact)!,
                reader.GetString(6),
                reader.GetString(7),
                reader.GetInt64(8),
                DateTimeOffset.Parse(reader.GetString(9), CultureInfo.InvariantCulture)));
        }

        return versions;
    }
}
