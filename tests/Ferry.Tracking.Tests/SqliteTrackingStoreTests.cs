using Ferry.Tracking.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ferry.Tracking.Tests;

/// <summary>The store contract against SQLite: every test gets its own database file in a temp folder.</summary>
public sealed class SqliteTrackingStoreTests : TrackingStoreContract
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-tracking-");

    protected override Task<string> SharedLocationAsync() => NewLocationAsync();

    protected override Task<string> NewLocationAsync() =>
        Task.FromResult(Path.Combine(_folder.FullName, $"store-{Guid.NewGuid():N}.db"));

    protected override async Task<ITrackingStore> OpenAsync(string location) =>
        await SqliteTrackingStore.OpenAsync(location, Options, Time, CancellationToken.None);

    protected override string UriFor(string location) => "sqlite://" + location;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_and_nan_is_stored_as_null_with_a_flag()
    {
        var runId = await NewRunAsync();
        await Store.LogMetricAsync(runId, M("x", double.NaN, 1), None);

        Assert.Equal("wal", await ScalarAsync(Store, "PRAGMA journal_mode"));
        Assert.Equal(1, AsLong(await ScalarAsync(Store, $"SELECT COUNT(*) FROM metrics WHERE run_id = '{runId}' AND value IS NULL AND is_nan = 1")));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(_folder.FullName, "not-a-db.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));

        var error = await Assert.ThrowsAsync<FerryException>(() => SqliteTrackingStore.OpenAsync(path, Time, None));

        Assert.Equal("STORE_INVALID", error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_holding_foreign_tables_of_the_same_names_is_refused_not_half_migrated()
    {
        var path = Path.Combine(_folder.FullName, "ferry.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<FerryException>(() => SqliteTrackingStore.OpenAsync(path, Time, None));

        Assert.Equal("STORE_TABLES_CLASH", error.Code);
        Assert.Contains("file of its own", error.Message, StringComparison.Ordinal);
        await using var reopened = new SqliteConnection($"Data Source={path};Pooling=False");
        await reopened.OpenAsync();
        await using var count = reopened.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('experiments', 'runs')";
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }
}
