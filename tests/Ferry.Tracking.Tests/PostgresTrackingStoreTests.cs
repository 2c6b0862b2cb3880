using Ferry.Tracking.Storage.Postgres;

namespace Ferry.Tracking.Tests;

/// <summary>The store contract against PostgreSQL: the tests of one run share a fresh database; schema tests get their own.</summary>
public sealed class PostgresTrackingStoreTests(PostgresTestServer server)
    : TrackingStoreContract, IClassFixture<PostgresTestServer>, INeedsPostgres
{
    protected override Task<string> SharedLocationAsync() =>
        Task.FromResult(server.SharedConnectionString ?? throw new InvalidOperationException($"{PostgresTestServer.Variable} is not set"));

    protected override Task<string> NewLocationAsync() => server.CreateDatabaseAsync();

    protected override async Task<ITrackingStore> OpenAsync(string location) =>
        await PostgresTrackingStore.OpenAsync(location, Options, Time, CancellationToken.None);

    protected override string UriFor(string location) => server.UriFor(location);
}
