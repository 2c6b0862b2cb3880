using Ferry.Tracking.Model;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Storage;

namespace Ferry.Tracking.Tests;

/// <summary>
/// What every tracking store must do, written once and run against each store by a concrete subclass.
/// Tests share one store per test where the store allows (PostgreSQL: one database per class run), so each
/// test works in experiments and runs of its own and asserts containment rather than totals.
/// </summary>
public abstract partial class TrackingStoreContract : IAsyncLifetime
{
    protected const string ArtifactRoot = "/srv/ferry/artifacts";

    /// <summary>How many migration steps each store's list has (1: tracking, 2: model registry, 3: logged models, 4: prediction log).</summary>
    protected const int SchemaVersion = 4;

    protected static CancellationToken None => CancellationToken.None;

    protected SteppingTime Time { get; } = new();

    protected static TrackingStoreOptions Options { get; } = new() { ArtifactRoot = ArtifactRoot };

    protected ITrackingStore Store { get; private set; } = null!;

    protected string Location { get; private set; } = "";

    /// <summary>The store under test seen as a model registry (every SQL store is both).</summary>
    protected IModelRegistry Registry => (IModelRegistry)Store;

    /// <summary>The store location the ordinary tests share.</summary>
    protected abstract Task<string> SharedLocationAsync();

    /// <summary>A location no other test uses (a new file or database), for tests that change the schema.</summary>
    protected abstract Task<string> NewLocationAsync();

    protected abstract Task<ITrackingStore> OpenAsync(string location);

    /// <summary>The URI <see cref="StoreFactory"/> should accept for this location.</summary>
    protected abstract string UriFor(string location);

    public async Task InitializeAsync()
    {
        Location = await SharedLocationAsync();
        Store = await OpenAsync(Location);
    }

    public virtual async Task DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
    }

    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected Task<string> NewExperimentAsync(string prefix = "exp") => Store.CreateExperimentAsync(UniqueName(prefix), null, null, None);

    protected async Task<string> NewRunAsync(string? experimentId = null, long? startTime = null, string? name = null) =>
        (await Store.CreateRunAsync(new CreateRunRequest(experimentId ?? await NewExperimentAsync(), "tester", name, startTime), None)).Info.RunId;

    protected static async Task<FerryException> ThrowsAsync(string code, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<FerryException>(action);
        Assert.Equal(code, error.Code);
        var expectedKind = code switch
        {
            TrackingErrors.ResourceDoesNotExist => ErrorKind.NotFound,
            TrackingErrors.ResourceAlreadyExists or "STORE_TOO_NEW" => ErrorKind.Conflict,
            TrackingErrors.InvalidParameterValue => ErrorKind.InvalidInput,
            _ => error.Kind,
        };
        Assert.Equal(expectedKind, error.Kind);
        return error;
    }

    /// <summary>Runs SQL against the database behind <paramref name="store"/>, for tests that check what was stored rather than what reads back.</summary>
    protected async Task<object?> ScalarAsync(ITrackingStore store, string sql) =>
        await ((SqlTrackingStore)await SqlStoreBehindAsync(store)).ScalarForTestsAsync(sql, CancellationToken.None);

    /// <summary>The SQL store holding <paramref name="store"/>'s data: the store itself, unless it reaches its data through a server.</summary>
    protected virtual Task<ITrackingStore> SqlStoreBehindAsync(ITrackingStore store) => Task.FromResult(store);

    protected static long AsLong(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    protected static Metric M(string key, double value, long timestamp, long step = 0) => new(key, value, timestamp, step);
}
