using Npgsql;

namespace Ferry.Tracking.Tests;

/// <summary>
/// The PostgreSQL server named by FERRY_TEST_POSTGRES (start one with <c>eval "$(scripts/pg-test-server)"</c>).
/// One fixture per test class run: it creates fresh databases with random names and drops them afterwards.
/// Without the variable the tests fail, saying how to set it, unless FERRY_SKIP_POSTGRES=1 skips them.
/// </summary>
public sealed class PostgresTestServer : IAsyncLifetime
{
    public const string Variable = "FERRY_TEST_POSTGRES";

    private readonly List<string> _databases = [];
    private NpgsqlConnectionStringBuilder? _server;
    private string? _uri;

    public string? SharedConnectionString { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("FERRY_SKIP_POSTGRES") == "1")
        {
            return;
        }

        _uri = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_uri))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tracking-store tests cannot run. Start a throwaway server with "
                + "`eval \"$(scripts/pg-test-server)\"` (stop it with `scripts/pg-test-server stop`), or point "
                + $"{Variable}=postgresql://user@host:port/db at one you have; set FERRY_SKIP_POSTGRES=1 to skip these tests on purpose.");
        }

        _server = new NpgsqlConnectionStringBuilder(StoreFactory.Parse(_uri).Location);
        SharedConnectionString = await CreateDatabaseAsync();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var server = _server ?? throw new InvalidOperationException($"{Variable} is not set");
        var name = $"ferry_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The postgresql:// URI of a database this fixture created.</summary>
    public string UriFor(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var uri = new UriBuilder(_uri!) { Path = "/" + database };
        return uri.Uri.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
