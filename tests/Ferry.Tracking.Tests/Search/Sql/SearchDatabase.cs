using System.Data.Common;
using System.Globalization;
using Ferry.Tracking.Search;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Tracking.Tests.Search.Sql;

/// <summary>
/// A throwaway database with the tracking store's tables (from the shared layout) holding the test runs:
/// a temporary SQLite file, or a fresh schema in a PostgreSQL database that is dropped afterwards.
/// </summary>
internal sealed class SearchDatabase : IDisposable
{
    private static readonly string SqliteSchema = Schema(serial: "INTEGER", real: "DOUBLE", boolean: "INTEGER");
    private static readonly string PostgresSchema = Schema(serial: "BIGSERIAL", real: "DOUBLE PRECISION", boolean: "BOOLEAN");

    private readonly DbConnection _connection;
    private readonly Action _cleanup;

    private SearchDatabase(DbConnection connection, SearchDialect dialect, Action cleanup)
    {
        _connection = connection;
        Dialect = dialect;
        _cleanup = cleanup;
    }

    public SearchDialect Dialect { get; }

    public static SearchDatabase CreateSqlite(IReadOnlyList<TestRun> runs)
    {
        var directory = Directory.CreateTempSubdirectory("ferry-search-");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory.FullName, "tracking.db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        var database = new SearchDatabase(connection, SearchDialect.Sqlite, () =>
        {
            connection.Dispose();
            directory.Delete(recursive: true);
        });
        database.Fill(SqliteSchema, runs);
        return database;
    }

    public static SearchDatabase CreatePostgres(string uri, IReadOnlyList<TestRun> runs)
    {
        var connection = new NpgsqlConnection(PostgresUri.ToConnectionString(uri));
        connection.Open();
        var schema = "ferry_search_" + Guid.NewGuid().ToString("N");
        var database = new SearchDatabase(connection, SearchDialect.PostgreSql, () =>
        {
            using (var drop = connection.CreateCommand())
            {
                drop.CommandText = $"DROP SCHEMA {schema} CASCADE";
                drop.ExecuteNonQuery();
            }

            connection.Dispose();
        });
        database.Execute($"CREATE SCHEMA {schema}; SET search_path TO {schema}");
        database.Fill(PostgresSchema, runs);
        return database;
    }

    private static string Schema(string serial, string real, string boolean) => $"""
        CREATE TABLE experiments(experiment_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL, creation_time BIGINT NOT NULL, last_update_time BIGINT NOT NULL);
        CREATE TABLE experiment_tags(experiment_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(experiment_id, key));
        CREATE TABLE runs(run_id TEXT PRIMARY KEY, experiment_id INTEGER NOT NULL, run_name TEXT NOT NULL, user_id TEXT NOT NULL,
            status TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT NULL, artifact_uri TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL, deleted_time BIGINT NULL);
        CREATE TABLE metrics(id {serial} PRIMARY KEY, run_id TEXT NOT NULL, key TEXT NOT NULL, value {real} NULL,
            is_nan {boolean} NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL);
        CREATE TABLE latest_metrics(run_id TEXT NOT NULL, key TEXT NOT NULL, value {real} NULL, is_nan {boolean} NOT NULL,
            timestamp BIGINT NOT NULL, step BIGINT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE params(run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE tags(run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE datasets(dataset_id INTEGER PRIMARY KEY, experiment_id INTEGER NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,
            source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT NULL, profile TEXT NULL, UNIQUE(experiment_id, name, digest));
        CREATE TABLE run_inputs(run_id TEXT NOT NULL, dataset_id INTEGER NOT NULL, context TEXT NULL, PRIMARY KEY(run_id, dataset_id));
        """;

    private void Fill(string schema, IReadOnlyList<TestRun> runs)
    {
        Execute(schema);
        using var transaction = _connection.BeginTransaction();
        Execute("INSERT INTO experiments VALUES (1, 'one', 'a', 'active', 0, 0), (2, 'two', 'b', 'active', 0, 0)");
        foreach (var dataset in SearchTestData.Datasets)
        {
            Execute("INSERT INTO datasets VALUES (@id, 1, @name, @digest, 'local', 'file', NULL, NULL)",
                ("@id", dataset.Id), ("@name", dataset.Name), ("@digest", dataset.Digest));
        }

        foreach (var run in runs)
        {
            Insert(run);
        }

        transaction.Commit();
    }

    private void Insert(TestRun run)
    {
        Execute("INSERT INTO runs VALUES (@id, @exp, @name, @user, @status, @start, @end, @uri, @stage, NULL)",
            ("@id", run.RunId), ("@exp", (int)run.ExperimentId), ("@name", run.RunName), ("@user", run.UserId), ("@status", run.Status),
            ("@start", run.StartTime), ("@end", run.EndTime), ("@uri", run.ArtifactUri), ("@stage", run.LifecycleStage));
        foreach (var (key, value) in run.Metrics)
        {
            // The layout's rule: NaN is value NULL with is_nan set; infinities are stored as they are.
            var isNan = double.IsNaN(value);
            object? stored = isNan ? null : value;

            // An older point with a larger value proves the search reads latest_metrics, not the history.
            Execute("INSERT INTO metrics(run_id, key, value, is_nan, timestamp, step) VALUES (@id, @key, @value, @nan, 1, 0)",
                ("@id", run.RunId), ("@key", key), ("@value", 123456.0), ("@nan", false));
            Execute("INSERT INTO metrics(run_id, key, value, is_nan, timestamp, step) VALUES (@id, @key, @value, @nan, 2, 1)",
                ("@id", run.RunId), ("@key", key), ("@value", stored), ("@nan", isNan));
            Execute("INSERT INTO latest_metrics VALUES (@id, @key, @value, @nan, 2, 1)",
                ("@id", run.RunId), ("@key", key), ("@value", stored), ("@nan", isNan));
        }

        foreach (var (key, value) in run.Params)
        {
            Execute("INSERT INTO params VALUES (@id, @key, @value)", ("@id", run.RunId), ("@key", key), ("@value", value));
        }

        foreach (var (key, value) in run.Tags)
        {
            Execute("INSERT INTO tags VALUES (@id, @key, @value)", ("@id", run.RunId), ("@key", key), ("@value", value));
        }

        foreach (var input in run.Inputs)
        {
            Execute("INSERT INTO run_inputs VALUES (@id, @dataset, @context)",
                ("@id", run.RunId), ("@dataset", input.DatasetId), ("@context", input.Context));
        }
    }

    /// <summary>Runs a translated search as the store would, optionally behind the caller's own parameters.</summary>
    public List<string> Search(RunQuery query, string prefixSql = "", params object[] prefixParameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT r.run_id FROM runs r WHERE {prefixSql}({query.WhereSql}) ORDER BY {query.OrderBySql}";
        var values = prefixParameters.Concat(query.Parameters).ToList();
        for (var i = 0; i < values.Count; i++)
        {
            AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public long Count(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        command.ExecuteNonQuery();
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null && command is NpgsqlCommand)
        {
            // Untyped NULLs are fine for SQLite; PostgreSQL needs a type it can cast to the column's.
            ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown;
        }

        command.Parameters.Add(parameter);
    }

    public void Dispose() => _cleanup();
}
