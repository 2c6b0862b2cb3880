using System.Data.Common;
using System.Security.Cryptography;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

/// <summary>
/// The tracking store over a SQL database, shared by <see cref="Sqlite.SqliteTrackingStore"/> and
/// <see cref="Postgres.PostgresTrackingStore"/>: one SQL text for both, with the few differences in a dialect.
/// Every call opens its own (pooled) connection, so one instance serves many threads.
/// </summary>
public abstract partial class SqlTrackingStore : ITrackingStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";
    private const string RunColumns = "r.run_id, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";
    private const string RunNameTag = "mlflow.runName";

    private readonly SqlDialect _dialect;
    private readonly TrackingStoreOptions _options;
    private readonly TimeProvider _time;

    private protected SqlTrackingStore(SqlDialect dialect, TrackingStoreOptions options, TimeProvider time)
    {
        _dialect = dialect;
        _options = options;
        _time = time;
    }

    /// <summary>Applies pending migrations; called once by the concrete store's <c>OpenAsync</c>.</summary>
    private protected Task MigrateAsync(CancellationToken cancellationToken) =>
        TrackingMigrator.MigrateAsync(_dialect, _options, _time, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _dialect.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs raw SQL and returns the first column of the first row: for tests that look at the tables directly.</summary>
    internal async Task<object?> ScalarForTestsAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await Db.ScalarAsync(connection, null, sql, cancellationToken);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it unless it throws or the call was cancelled.</summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var result = await work(connection, transaction);
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private async Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        await WriteAsync<bool>(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);

    private static RunInfo ReadRunInfo(DbDataReader reader) => new(
        reader.GetString(0),
        StoreText.ExperimentId(Db.Long(reader, 1)),
        reader.GetString(2),
        reader.GetString(3),
        StoreText.Status(reader.GetString(4)),
        Db.Long(reader, 5),
        Db.NullableLong(reader, 6),
        reader.GetString(7),
        StoreText.Stage(reader.GetString(8)));

    private static async Task<RunInfo?> FindRunInfoAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, $"SELECT {RunColumns} FROM runs r WHERE r.run_id = @id", ("@id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRunInfo(reader) : null;
    }

    private static async Task<RunInfo> RequireRunAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken) =>
        await FindRunInfoAsync(connection, transaction, runId ?? "", cancellationToken)
        ?? throw TrackingErrors.NotFound($"run '{runId}' does not exist: check the run_id");

    /// <summary>Writes go only to active runs, as in MLflow.</summary>
    private static async Task<RunInfo> RequireActiveRunAsync(DbConnection connection, DbTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        var info = await RequireRunAsync(connection, transaction, runId, cancellationToken);
        if (info.LifecycleStage != LifecycleStage.Active)
        {
            throw TrackingErrors.Invalid($"run '{runId}' must be in the 'active' state but is deleted: restore it before logging to or changing it");
        }

        return info;
    }

    private static string NewRunId() => Guid.NewGuid().ToString("N");

    /// <summary>A memorable default run name in MLflow's style, for example <c>bold-heron-417</c>.</summary>
    private static string GenerateRunName()
    {
        string[] adjectives = ["amber", "bold", "brave", "calm", "clever", "crisp", "eager", "gentle", "lucky", "merry", "quiet", "rapid", "sunny", "swift", "tidy", "witty"];
        string[] nouns = ["badger", "crane", "dolphin", "falcon", "fox", "heron", "lynx", "moth", "otter", "owl", "panda", "robin", "seal", "sparrow", "trout", "wren"];
        return $"{adjectives[RandomNumberGenerator.GetInt32(adjectives.Length)]}-{nouns[RandomNumberGenerator.GetInt32(nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000)}";
    }
}
