using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Eight_concurrent_writers_on_one_run_lose_nothing()
    {
        const int Writers = 8;
        const int Batches = 25;
        const int PointsPerBatch = 20;
        var runId = await NewRunAsync();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            // Each writer has its own store instance, as separate processes would.
            await using var store = await OpenAsync(Location);
            for (var batch = 0; batch < Batches; batch++)
            {
                var metrics = Enumerable.Range(0, PointsPerBatch)
                    .Select(i => M("loss", writer + (batch * PointsPerBatch + i) / 1000.0, 1_000 + batch, (writer * Batches + batch) * PointsPerBatch + i))
                    .ToList();
                await store.LogBatchAsync(runId, metrics, [new Param($"writer{writer}", "on"), new Param("shared", "same")],
                    [new RunTag("last-writer", writer.ToString(System.Globalization.CultureInfo.InvariantCulture))], None);
            }
        })));

        var history = await Store.GetMetricHistoryAsync(runId, "loss", None);
        Assert.Equal(Writers * Batches * PointsPerBatch, history.Count);
        Assert.Equal(history.Count, history.Select(m => m.Step).Distinct().Count());
        var run = await Store.GetRunAsync(runId, None);
        var maxStep = history.Max(m => m.Step);
        Assert.Equal(history.Single(m => m.Step == maxStep), Assert.Single(run.Data.Metrics));
        Assert.Equal(Writers + 1, run.Data.Params.Count);
        Assert.Contains(run.Data.Tags, t => t.Key == "last-writer");
    }

    [ContractFact]
    public async Task Reopening_a_store_is_idempotent()
    {
        var location = await NewLocationAsync();
        string experimentId;
        await using (var first = await OpenAsync(location))
        {
            experimentId = await first.CreateExperimentAsync("kept-across-opens", null, null, None);
        }

        await using (var second = await OpenAsync(location))
        {
            Assert.Equal("kept-across-opens", (await second.GetExperimentAsync(experimentId, None)).Name);
            Assert.Equal(1, AsLong(await ScalarAsync(second, "SELECT COUNT(*) FROM experiments WHERE name = 'Default'")));
            Assert.Equal(SchemaVersion, AsLong(await ScalarAsync(second, "SELECT COUNT(*) FROM schema_migrations WHERE component = 'tracking'")));
        }

        await using var third = await OpenAsync(location);
        Assert.Equal(2, (await third.SearchExperimentsAsync(ViewType.All, 10, null, None)).Items.Count);
    }

    [ContractFact]
    public async Task Stores_opened_at_once_on_a_new_location_migrate_it_once()
    {
        var location = await NewLocationAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(location))));
        try
        {
            Assert.Equal(SchemaVersion, AsLong(await ScalarAsync(stores[0], "SELECT COUNT(*) FROM schema_migrations WHERE component = 'tracking'")));
            Assert.Equal(1, AsLong(await ScalarAsync(stores[0], "SELECT COUNT(*) FROM experiments")));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [ContractFact]
    public async Task A_store_with_a_newer_schema_is_refused()
    {
        var location = await NewLocationAsync();
        await using (var store = await OpenAsync(location))
        {
            await ScalarAsync(store, "INSERT INTO schema_migrations (component, version, applied_at) VALUES ('tracking', 99, 'later')");
        }

        var error = await ThrowsAsync("STORE_TOO_NEW", () => OpenAsync(location));

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Ferry", error.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Store_factory_opens_the_same_store_by_uri()
    {
        var experimentId = await NewExperimentAsync("by-uri");

        await using var viaUri = await StoreFactory.OpenAsync(UriFor(Location), Options, Time, None);

        Assert.Equal(experimentId, (await viaUri.GetExperimentByNameAsync((await Store.GetExperimentAsync(experimentId, None)).Name, None)).ExperimentId);
    }
}
