using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ferry.Tracking.Search.Tests.Sql;

/// <summary>A temporary SQLite database with the tracking store's tables (from the shared layout) holding the test runs.</summary>
internal sealed class SqliteSearchDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE experiments(experiment_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL, creation_time BIGINT NOT NULL, last_update_time BIGINT NOT NULL);
        CREATE TABLE experiment_tags(experiment_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(experiment_id, key));
        CREATE TABLE runs(run_id TEXT PRIMARY KEY, experiment_id INTEGER NOT NULL, run_name TEXT NOT NULL, user_id TEXT NOT NULL,
            status TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT NULL, artifact_uri TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL, deleted_time BIGINT NULL);
        CREATE TABLE metrics(id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE NULL,
            is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL);
        CREATE TABLE latest_metrics(run_id TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE NULL, is_nan INTEGER NOT NULL,
            timestamp BIGINT NOT NULL, step BIGINT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE params(run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE tags(run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(run_id, key));
        CREATE TABLE datasets(dataset_id INTEGER PRIMARY KEY, experiment_id INTEGER NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,
            source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT NULL, profile TEXT NULL, UNIQUE(experiment_id, name, digest));
        CREATE TABLE run_inputs(run_id TEXT NOT NULL, dataset_id INTEGER NOT NULL, context TEXT NULL, PRIMARY KEY(run_id, dataset_id));
        """;

    private readonly DirectoryInfo _directory;
    private readonly SqliteConnection _connection;

    public SqliteSearchDatabase(IReadOnlyList<TestRun> runs)
    {
        _directory = Directory.CreateTempSubdirectory("ferry-search-");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.FullName, "tracking.db"),
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute(Schema);
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
            ("@id", run.RunId), ("@exp", run.ExperimentId), ("@name", run.RunName), ("@user", run.UserId), ("@status", run.Status),
            ("@start", run.StartTime), ("@end", run.EndTime), ("@uri", run.ArtifactUri), ("@stage", run.LifecycleStage));
        foreach (var (key, value) in run.Metrics)
        {
            // The layout's rule: NaN is value NULL with is_nan set; infinities are stored as they are.
            var isNan = double.IsNaN(value);
            object? stored = isNan ? null : value;

            // An older, larger-step point in the history proves the search reads latest_metrics only.
            Execute("INSERT INTO metrics(run_id, key, value, is_nan, timestamp, step) VALUES (@id, @key, 123456, 0, 1, 0)",
                ("@id", run.RunId), ("@key", key));
            Execute("INSERT INTO metrics(run_id, key, value, is_nan, timestamp, step) VALUES (@id, @key, @value, @nan, 2, 1)",
                ("@id", run.RunId), ("@key", key), ("@value", stored), ("@nan", isNan ? 1 : 0));
            Execute("INSERT INTO latest_metrics VALUES (@id, @key, @value, @nan, 2, 1)",
                ("@id", run.RunId), ("@key", key), ("@value", stored), ("@nan", isNan ? 1 : 0));
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
        for (var i = 0; i < prefixParameters.Length; i++)
        {
            command.Parameters.AddWithValue("@p" + i.ToString(CultureInfo.InvariantCulture), prefixParameters[i]);
        }

        for (var i = 0; i < query.Parameters.Count; i++)
        {
            var name = "@p" + (prefixParameters.Length + i).ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, query.Parameters[i] ?? DBNull.Value);
        }

        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Delete(recursive: true);
    }
}
