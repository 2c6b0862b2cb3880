using System.Diagnostics;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Learn.Packaging;
using Ferry.Tracking.Predictions;
using Ferry.Tracking.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Serving.Tests.Logging;

/// <summary>A real SQLite tracking store in a temp folder, with raw access for tests that lock or break its table.</summary>
internal sealed class TempLogStore : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private TempLogStore(DirectoryInfo folder, string path, SqliteTrackingStore store)
    {
        _folder = folder;
        Path = path;
        Store = store;
    }

    public string Path { get; }

    public SqliteTrackingStore Store { get; }

    public static async Task<TempLogStore> OpenAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ferry-predlog-");
        var path = System.IO.Path.Combine(folder.FullName, "ferry.db");
        return new TempLogStore(folder, path, await SqliteTrackingStore.OpenAsync(path, TimeProvider.System, CancellationToken.None));
    }

    public Task<IReadOnlyList<LoggedPrediction>> ReadAllAsync(string model) =>
        Store.ReadAsync(new PredictionQuery(model) { IncludeShadow = true, Limit = PredictionQuery.MaxLimit }, CancellationToken.None);

    /// <summary>A connection of its own (not pooled with the store's), for locking or altering the database under the store.</summary>
    public async Task<SqliteConnection> ConnectAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Real penguin predictions, and helpers to wait for the logger's background loop.</summary>
internal static class LogTestKit
{
    public static DateTimeOffset Start { get; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The penguins package's held-out rows and what the package predicts for them.</summary>
    public static async Task<(Table Rows, Predictions Answers, IPredictor Predictor)> PenguinsAsync()
    {
        var package = await ServingPackages.GetAsync("penguins");
        var predictor = await ModelFlavors.Builtin.LoadPredictorAsync(package.Path, CancellationToken.None);
        return (package.TestRows, await predictor.PredictAsync(package.TestRows, CancellationToken.None), predictor);
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds, moving the fake clock by <paramref name="step"/> each turn so the
    /// loop's timers fire whenever it set them. The wall-clock limit only stops a broken logger from hanging the run.
    /// </summary>
    public static async Task EventuallyAsync(Func<bool> done, FakeTimeProvider? time = null, TimeSpan step = default, string what = "the logger")
    {
        var guard = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(60), $"gave up waiting for {what}");
            time?.Advance(step);
            await Task.Delay(5);
        }
    }
}
