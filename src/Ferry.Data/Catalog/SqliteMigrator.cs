using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ferry.Data.Catalog;

/// <summary>
/// Brings one component's tables in a SQLite store up to date: applies the steps not yet recorded, each in
/// its own transaction, and refuses a store written by a newer Ferry rather than guessing at its tables.
/// </summary>
internal static class SqliteMigrator
{
    public static async Task MigrateAsync(SqliteConnection connection, string component, IReadOnlyList<string> steps, TimeProvider time, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    component TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    applied_at TEXT NOT NULL,
                    PRIMARY KEY (component, version));
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await CurrentVersionAsync(connection, component, cancellationToken);
        if (current > steps.Count)
        {
            throw FerryException.Conflict("STORE_TOO_NEW",
                $"the store {connection.DataSource} has '{component}' schema version {current}, newer than this Ferry knows ({steps.Count}): upgrade Ferry, or point --home at another folder");
        }

        for (var version = current + 1; version <= steps.Count; version++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            // Another process may have migrated while this one waited for the write lock.
            if (await CurrentVersionAsync(connection, component, cancellationToken, transaction) >= version)
            {
                continue;
            }

            await using (var step = connection.CreateCommand())
            {
                step.Transaction = transaction;
                step.CommandText = steps[version - 1];
                await step.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (component, version, applied_at) VALUES ($c, $v, $t)";
                record.Parameters.AddWithValue("$c", component);
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task<int> CurrentVersionAsync(SqliteConnection connection, string component, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = $c";
        query.Parameters.AddWithValue("$c", component);
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
