using System.Data.Common;
using Ferry.Tracking.Model;
using Microsoft.Data.Sqlite;

namespace Ferry.Tracking.Storage.Sqlite;

/// <summary>
/// The tracking store in one SQLite file (Ferry's default). WAL mode lets readers work while one writer
/// commits; writers take the write lock at the start of each transaction and wait (busy timeout) for each other.
/// </summary>
public sealed class SqliteTrackingStore : SqlTrackingStore
{
    private SqliteTrackingStore(SqliteDialect dialect, TrackingStoreOptions options, TimeProvider time)
        : base(dialect, options, time)
    {
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> with default options and applies pending migrations.</summary>
    public static Task<SqliteTrackingStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(path, TrackingStoreOptions.Default, time, cancellationToken);

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and applies pending migrations.</summary>
    /// <exception cref="FerryException">
    /// STORE_TOO_NEW if a newer Ferry wrote it; STORE_INVALID if it is not a SQLite database; STORE_TABLES_CLASH if
    /// the file already holds tables of the same names that are not the tracking store's.
    /// </exception>
    public static async Task<SqliteTrackingStore> OpenAsync(string path, TrackingStoreOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var dialect = new SqliteDialect(full);
        var store = new SqliteTrackingStore(dialect, options, time);
        try
        {
            await dialect.EnableWalAsync(cancellationToken);
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 /* NOTADB */ or 11 /* CORRUPT */)
        {
            await store.DisposeAsync();
            throw FerryException.Invalid("STORE_INVALID", $"{full} is not a Ferry store (SQLite says: {e.Message}); move it aside or choose another store", inner: e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            // Tables of the same names that this store did not create: refuse rather than write into them.
            await store.DisposeAsync();
            throw FerryException.Conflict("STORE_TABLES_CLASH",
                $"{full} already holds tables of another Ferry component (SQLite says: {e.Message}); keep the tracking store in a file of its own");
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private sealed class SqliteDialect(string path) : SqlDialect
    {
        public override Search.SearchDialect Search => Ferry.Tracking.Search.SearchDialect.Sqlite;

        private const int BusySeconds = 30;

        private readonly string _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusySeconds,
            Pooling = true,
        }.ToString();

        public override string StoreName => path;

        public override IReadOnlyList<string> Migrations => SqliteMigrations.Steps;

        public override string CreateMigrationsTableSql => SqliteMigrations.CreateMigrationsTable;

        public override string MigrationLockSql => "";

        // 1e308 * 10 overflows to infinity; SQLite has no infinity literal.
        public override string NegativeInfinitySql => "(-1e308 * 10)";

        public async Task EnableWalAsync(CancellationToken cancellationToken)
        {
            await using var connection = await OpenAsync(cancellationToken);
            // WAL is a property of the file: set once, every later connection uses it.
            await Db.ScalarAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        }

        public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(_connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await Db.ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusySeconds * 1000}; PRAGMA synchronous = NORMAL", cancellationToken);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE unless asked for a deferred transaction: the write
        // lock is taken up front, so a read-check-write step cannot be overtaken by another writer.
        public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

        // In-process SQLite runs one prepared statement per row faster than it parses one huge multi-row INSERT.
        public override async Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
        {
            await using var command = Db.Command(connection, transaction,
                "INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (@run, @k, @v, @n, @t, @s)",
                ("@run", runId), ("@k", ""), ("@v", 0.0), ("@n", false), ("@t", 0L), ("@s", 0L));
            var p = command.Parameters;
            await command.PrepareAsync(cancellationToken);
            foreach (var metric in metrics)
            {
                p[1].Value = metric.Key;
                p[2].Value = Db.MetricValueParameter(metric.Value) ?? DBNull.Value;
                p[3].Value = double.IsNaN(metric.Value);
                p[4].Value = metric.Timestamp;
                p[5].Value = metric.Step;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

        public override ValueTask DisposeAsync()
        {
            // Pooled connections keep the file open; release them so the file can be moved or deleted.
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
            return ValueTask.CompletedTask;
        }
    }
}
