using System.Data.Common;
using System.Globalization;

namespace Ferry.Tracking.Storage;

/// <summary>
/// Brings the tracking tables up to date: applies each step not yet recorded in <c>schema_migrations</c>
/// under component "tracking", one transaction per step, and refuses a store written by a newer Ferry.
/// </summary>
/// <remarks>
/// Ferry.Data has its own SQLite-only migrator (internal there); this one runs over any <see cref="DbConnection"/>
/// so SQLite and PostgreSQL share it. Merging the two into one shared helper is left for later.
/// </remarks>
internal static class TrackingMigrator
{
    public const string Component = "tracking";

    public static async Task MigrateAsync(SqlDialect dialect, TrackingStoreOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var steps = dialect.Migrations;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        while (true)
        {
            await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
            if (dialect.MigrationLockSql.Length > 0)
            {
                await Db.ExecuteAsync(connection, transaction, dialect.MigrationLockSql, cancellationToken);
            }

            await Db.ExecuteAsync(connection, transaction, dialect.CreateMigrationsTableSql, cancellationToken);
            var current = Convert.ToInt32(
                await Db.ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = @c", cancellationToken, ("@c", Component)),
                CultureInfo.InvariantCulture);
            if (current > steps.Count)
            {
                throw FerryException.Conflict("STORE_TOO_NEW",
                    $"the tracking store {dialect.StoreName} has schema version {current}, newer than this Ferry knows ({steps.Count}): upgrade Ferry, or point it at another store");
            }

            if (current == steps.Count)
            {
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            var now = time.GetUtcNow();
            var sql = steps[current];
            await using (var step = Db.Command(connection, transaction, sql))
            {
                // Steps may seed rows; they get the time and the artifact root as parameters.
                if (sql.Contains("@now", StringComparison.Ordinal))
                {
                    Db.Add(step, "@now", now.ToUnixTimeMilliseconds());
                }

                if (sql.Contains("@default_artifact_location", StringComparison.Ordinal))
                {
                    Db.Add(step, "@default_artifact_location", options.ExperimentLocation("0"));
                }

                await step.ExecuteNonQueryAsync(cancellationToken);
            }

            await Db.ExecuteAsync(connection, transaction,
                "INSERT INTO schema_migrations (component, version, applied_at) VALUES (@c, @v, @t)", cancellationToken,
                ("@c", Component), ("@v", current + 1), ("@t", now.ToString("O", CultureInfo.InvariantCulture)));
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
