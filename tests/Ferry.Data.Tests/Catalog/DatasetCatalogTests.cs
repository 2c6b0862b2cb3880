using Ferry.Data.Catalog;
using Ferry.Data.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Data.Tests.Catalog;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ferry-catalog").FullName;

    private string StorePath => Path.Combine(_folder, "ferry.db");

    private static readonly DatasetSchema Schema = new(
        [new ColumnSchema("x", ColumnKind.Numeric, 3, 0, "numbers"), new ColumnSchema("label", ColumnKind.Categorical, 2, 0, "2 values")],
        "label", TaskKind.Binary, "label 'label' has 2 distinct values", ["a", "b"]);

    private static readonly IReadOnlyList<ColumnProfile> Profiles =
    [
        new ColumnProfile("x", ColumnKind.Numeric, 3, 0, 3, new NumericSummary(1, 3, 2, 1, [1, 1.1, 1.5, 2, 2.5, 2.9, 3], [1, 2, 3], [1, 2]), []),
        new ColumnProfile("label", ColumnKind.Categorical, 3, 0, 2, null, [new ValueCount("a", 2), new ValueCount("b", 1)]),
    ];

    private Task<DatasetCatalog> OpenAsync() => DatasetCatalog.OpenAsync(StorePath, TimeProvider.System, CancellationToken.None);

    private static Task<AddDatasetResult> AddAsync(DatasetCatalog catalog, string name, string hash) =>
        catalog.AddAsync(name, hash, 3, Schema, Profiles, "/data/x.csv", "csv", 0, CancellationToken.None);

    [Fact]
    public async Task Add_SameContentIsOneVersion_ChangedContentIsTheNext()
    {
        await using var catalog = await OpenAsync();
        var first = await AddAsync(catalog, "iris", "sha256:aa");
        var again = await AddAsync(catalog, "iris", "sha256:aa");
        var second = await AddAsync(catalog, "iris", "sha256:bb");
        var back = await AddAsync(catalog, "iris", "sha256:aa");

        Assert.True(first.Created);
        Assert.Equal(1, first.Version.Version);
        Assert.False(again.Created);
        Assert.Equal(1, again.Version.Version);
        Assert.True(second.Created);
        Assert.Equal(2, second.Version.Version);
        Assert.False(back.Created);
        Assert.Equal(1, back.Version.Version);
        Assert.Equal(2, (await catalog.GetVersionsAsync("iris", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Versions_SurviveReopen_WithSchemaAndProfiles()
    {
        await using (var catalog = await OpenAsync())
        {
            await AddAsync(catalog, "churn", "sha256:01");
            await AddAsync(catalog, "churn", "sha256:02");
        }

        await using var reopened = await OpenAsync();
        var latest = await reopened.GetAsync(DatasetRef.Parse("churn"), CancellationToken.None);
        var first = await reopened.GetAsync(DatasetRef.Parse("churn@1"), CancellationToken.None);
        Assert.Equal(2, latest.Version);
        Assert.Equal("sha256:01", first.ContentHash);
        Assert.Equal(Schema.Label, latest.Schema.Label);
        Assert.Equal(Schema.Columns, latest.Schema.Columns);
        Assert.Equal(Profiles[0].Numeric!.Quantiles, latest.Profiles[0].Numeric!.Quantiles);
        Assert.Equal(Profiles[1].TopValues, latest.Profiles[1].TopValues);
        var list = await reopened.ListAsync(CancellationToken.None);
        Assert.Equal(2, Assert.Single(list).VersionCount);
    }

    [Fact]
    public async Task Get_UnknownNameOrVersion_IsNotFoundNamingWhatExists()
    {
        await using var catalog = await OpenAsync();
        await AddAsync(catalog, "iris", "sha256:aa");
        var noName = await Assert.ThrowsAsync<FerryException>(() => catalog.GetAsync(DatasetRef.Parse("wine"), CancellationToken.None));
        Assert.Equal(("DATASET_NOT_FOUND", ErrorKind.NotFound), (noName.Code, noName.Kind));
        Assert.Contains("iris", noName.Message, StringComparison.Ordinal);
        var noVersion = await Assert.ThrowsAsync<FerryException>(() => catalog.GetAsync(DatasetRef.Parse("iris@7"), CancellationToken.None));
        Assert.Equal("DATASET_VERSION_NOT_FOUND", noVersion.Code);
    }

    [Theory]
    [InlineData("iris@0")]
    [InlineData("iris@x")]
    [InlineData("@1")]
    [InlineData("has space")]
    [InlineData("../etc")]
    public void Parse_RejectsMalformedReferences(string text)
    {
        var error = Assert.Throws<FerryException>(() => DatasetRef.Parse(text));
        Assert.Equal(ErrorKind.Usage, error.Kind);
    }

    [Fact]
    public async Task Add_ThatFailsInsideTheTransaction_LeavesNoRowBehind()
    {
        await using (var catalog = await OpenAsync())
        {
            await AddAsync(catalog, "kept", "sha256:01");
        }

        // A real SQLite failure at the last statement of the add: the dataset row inserted before it must roll back.
        await using (var raw = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var trigger = raw.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER fail_versions BEFORE INSERT ON catalog_versions BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;";
            await trigger.ExecuteNonQueryAsync();
        }

        await using (var catalog = await OpenAsync())
        {
            await Assert.ThrowsAsync<SqliteException>(() => AddAsync(catalog, "lost", "sha256:02"));
            var names = (await catalog.ListAsync(CancellationToken.None)).Select(d => d.Name);
            Assert.Equal(["kept"], names);
        }

        await using var check = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        await check.OpenAsync();
        await using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM catalog_datasets WHERE name = 'lost'";
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Add_Cancelled_LeavesNoRowBehind()
    {
        await using var catalog = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            catalog.AddAsync("x", "sha256:01", 3, Schema, Profiles, "/x.csv", "csv", 0, cancelled.Token));
        Assert.Empty(await catalog.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentWriters_GetDistinctConsecutiveVersions()
    {
        await (await OpenAsync()).DisposeAsync();
        var adds = Enumerable.Range(0, 8).Select(async i =>
        {
            await using var catalog = await OpenAsync();
            return await AddAsync(catalog, "shared", $"sha256:{i:x2}");
        });
        var results = await Task.WhenAll(adds);
        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Version.Version).Order());
    }

    [Fact]
    public async Task Open_StoreFromNewerFerry_IsRefused()
    {
        await (await OpenAsync()).DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var bump = raw.CreateCommand();
            bump.CommandText = "INSERT INTO schema_migrations VALUES ('data', 99, '2030-01-01')";
            await bump.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<FerryException>(OpenAsync);
        Assert.Equal(("STORE_TOO_NEW", ErrorKind.Conflict), (error.Code, error.Kind));
    }

    [Fact]
    public async Task Open_FileThatIsNotAStore_IsRefusedAndLeftAlone()
    {
        var garbage = new byte[4096];
        new Random(1).NextBytes(garbage);
        await File.WriteAllBytesAsync(StorePath, garbage);
        var error = await Assert.ThrowsAsync<FerryException>(OpenAsync);
        Assert.Equal("STORE_INVALID", error.Code);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(StorePath));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
