using System.Data.Common;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

/// <summary>
/// What differs between the SQL databases a tracking store can live in: how to connect, how to take the
/// write lock, the schema steps and a few literals. Everything else is the shared SQL in <see cref="SqlTrackingStore"/>.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>The store as a user would name it in a message (a file path, or host and database).</summary>
    public abstract string StoreName { get; }

    /// <summary>How the run-search translator writes SQL for this database.</summary>
    public abstract Search.SearchDialect Search { get; }

    /// <summary>The ordered schema steps; step N becomes schema version N.</summary>
    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Creates <c>schema_migrations</c> if it is missing.</summary>
    public abstract string CreateMigrationsTableSql { get; }

    /// <summary>Run first in every migration transaction so concurrent openers migrate one at a time; empty if the write transaction already serialises.</summary>
    public abstract string MigrationLockSql { get; }

    /// <summary>A SQL expression for negative infinity, used to order NaN below every number.</summary>
    public abstract string NegativeInfinitySql { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that will write; SQLite takes the write lock at once so read-then-write steps cannot interleave.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Appends metric points to the history in the given transaction, the fastest way the database offers (the hot path of log-batch).</summary>
    public abstract Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken);

    public abstract bool IsUniqueViolation(DbException exception);

    public abstract ValueTask DisposeAsync();
}
