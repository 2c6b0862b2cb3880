using Ferry.Data.Catalog;
using Ferry.Data.Schema;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Tracking.Tests;

/// <summary>The Ferry home keeps one store file: the dataset catalog and the tracking store live side by side in it.</summary>
public sealed class SharedStoreFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-shared-store");

    [Fact]
    public async Task Catalog_and_tracking_store_share_one_file_in_either_order()
    {
        foreach (var catalogFirst in new[] { true, false })
        {
            var path = Path.Combine(_folder.FullName, $"ferry-{catalogFirst}.db");
            var schema = new DatasetSchema([new ColumnSchema("y", ColumnKind.Categorical, 2, 0, "two values")], "y", TaskKind.Binary, "two values", ["a", "b"]);
            if (catalogFirst)
            {
                await using var catalog = await DatasetCatalog.OpenAsync(path, TimeProvider.System, CancellationToken.None);
                await catalog.AddAsync("d", "sha256:01", 2, schema, [], "/d.csv", "csv", 0, CancellationToken.None);
            }

            await using (var store = await SqliteTrackingStore.OpenAsync(path, TimeProvider.System, CancellationToken.None))
            {
                var id = await store.CreateExperimentAsync("churn", null, null, CancellationToken.None);
                Assert.Equal("churn", (await store.GetExperimentAsync(id, CancellationToken.None)).Name);
            }

            await using (var catalog = await DatasetCatalog.OpenAsync(path, TimeProvider.System, CancellationToken.None))
            {
                await catalog.AddAsync("d", "sha256:02", 2, schema, [], "/d.csv", "csv", 0, CancellationToken.None);
                Assert.Equal(catalogFirst ? 2 : 1, (await catalog.GetVersionsAsync("d", CancellationToken.None)).Count);
            }

            await using var reopened = await SqliteTrackingStore.OpenAsync(path, TimeProvider.System, CancellationToken.None);
            Assert.Equal("churn", (await reopened.GetExperimentByNameAsync("churn", CancellationToken.None)).Name);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
