using System.Data.Common;
using Ferry.Tracking.Model;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Tracking.Storage.Postgres;

/// <summary>
/// The tracking store in a PostgreSQL database (Npgsql, pooled through one <see cref="NpgsqlDataSource"/>).
/// Writes run at READ COMMITTED; conflicting rows are resolved by upserts in key order, so concurrent batches neither lose points nor deadlock.
/// </summary>
public sealed class PostgresTrackingStore : SqlTrackingStore
{
    private PostgresTrackingStore(PostgresDialect dialect, TrackingStoreOptions options, TimeProvider time)
        : base(dialect, options, time)
    {
    }

    /// <summary>Connects with default options and applies pending migrations.</summary>
    public static Task<PostgresTrackingStore> OpenAsync(string connectionString, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(connectionString, TrackingStoreOptions.Default, time, cancellationToken);

    /// <summary>Connects to the database named in <paramref name="connectionString"/> (an Npgsql connection string) and applies pending migrations.</summary>
    /// <exception cref="FerryException">STORE_TOO_NEW if a newer Ferry wrote it; STORE_UNREACHABLE if the server cannot be reached or refuses the login.</exception>
    public static async Task<PostgresTrackingStore> OpenAsync(string connectionString, TrackingStoreOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var dialect = new PostgresDialect(NpgsqlDataSource.Create(builder), $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}");
        var store = new PostgresTrackingStore(dialect, options, time);
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState.StartsWith("28", StringComparison.Ordinal) || ((PostgresException)e).SqlState == "3D000")
        {
            // Not reachable, login refused (28xxx) or no such database (3D000): say where, never the password.
            await store.DisposeAsync();
            throw FerryException.Invalid("STORE_UNREACHABLE", $"cannot use the PostgreSQL tracking store {dialect.StoreName}: {e.Message}", inner: e);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private sealed class PostgresDialect(NpgsqlDataSource dataSource, string name) : SqlDialect
    {
        public override Search.SearchDialect Search => Ferry.Tracking.Search.SearchDialect.PostgreSql;

        public override string StoreName => name;

        public override IReadOnlyList<string> Migrations => PostgresMigrations.Steps;

        public override string CreateMigrationsTableSql => PostgresMigrations.CreateMigrationsTable;

        public override string MigrationLockSql => PostgresMigrations.Lock;

        public override string NegativeInfinitySql => "'-Infinity'::double precision";

        public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await dataSource.OpenConnectionAsync(cancellationToken);

        public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await connection.BeginTransactionAsync(cancellationToken);

        // Binary COPY sends all points in one stream: far fewer round trips and no SQL to parse.
        public override async Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
        {
            await using var writer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
                "COPY metrics (run_id, key, value, is_nan, timestamp, step) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var metric in metrics)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(runId, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(metric.Key, NpgsqlDbType.Text, cancellationToken);
                if (double.IsNaN(metric.Value))
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(metric.Value, NpgsqlDbType.Double, cancellationToken);
                }

                await writer.WriteAsync(double.IsNaN(metric.Value), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(metric.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(metric.Step, NpgsqlDbType.Bigint, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        public override bool IsUniqueViolation(DbException exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

        public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
    }
}
