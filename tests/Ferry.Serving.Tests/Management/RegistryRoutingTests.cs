using Ferry.Learn.Packaging;
using Ferry.Serving.Management;
using Ferry.Serving.Sources;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Registry;

namespace Ferry.Serving.Tests.Management;

/// <summary>The registry as the source: champion alias, rollback, canary and shadow tags, over a real SQLite store.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes them in IAsyncLifetime.DisposeAsync")]
public sealed class RegistryRoutingTests : IAsyncLifetime
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ferry-registry-serving-");
    private ITrackingStore _store = null!;
    private IModelRegistry _registry = null!;
    private ModelManager _manager = null!;
    private InferenceService _service = null!;
    private ServingPackage _sdca = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync(Path.Combine(_home.FullName, "ferry.db"), TimeProvider.System, CancellationToken.None);
        _registry = (IModelRegistry)_store;
        _sdca = await ServingPackages.GetAsync("breast_cancer");
        var lightgbm = await ServingPackages.GetAsync("breast_cancer", "lightgbm");
        await _registry.CreateRegisteredModelAsync("cancer", null, null, CancellationToken.None);
        foreach (var package in new[] { _sdca, lightgbm, _sdca })
        {
            await _registry.CreateModelVersionAsync(new CreateModelVersionRequest("cancer", package.Path), CancellationToken.None);
        }

        var cache = new RegistryPackageCache(_store, location => ArtifactLocations.Open(location, _home.FullName), Path.Combine(_home.FullName, "cache"));
        _manager = new ModelManager(new RegistrySource(_store, cache), ModelFlavors.Builtin, new ManagerOptions { WarmupRuns = 0 }, TimeProvider.System);
        _service = new InferenceService(_manager, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _manager.DisposeAsync();
        await _store.DisposeAsync();
        _home.Delete(recursive: true);
    }

    private int Answering(ModelRequest request, string? key = null)
    {
        using var call = _service.Begin(request, key);
        return call.Answering.Version;
    }

    [Fact]
    public async Task Without_a_champion_the_latest_version_serves_and_moving_the_alias_back_is_a_rollback()
    {
        await _manager.ReconcileAsync(CancellationToken.None);
        Assert.Equal(3, Answering(new ModelRequest("cancer")));

        await _registry.SetRegisteredModelAliasAsync("cancer", DeploymentTags.Champion, 2, CancellationToken.None);
        await _manager.ReconcileAsync(CancellationToken.None);
        Assert.Equal(2, Answering(new ModelRequest("cancer")));
        Assert.Equal(2, Answering(new ModelRequest("cancer", Label: DeploymentTags.Champion)));

        await _registry.SetRegisteredModelAliasAsync("cancer", DeploymentTags.Champion, 1, CancellationToken.None);
        await _manager.ReconcileAsync(CancellationToken.None);
        Assert.Equal(1, Answering(new ModelRequest("cancer")));
        var missing = Assert.Throws<FerryException>(() => Answering(new ModelRequest("cancer", Version: 2)));
        Assert.Contains("no version 2 loaded (loaded: 1)", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(37.5)]
    public async Task A_canary_takes_its_weight_of_ten_thousand_requests_and_a_routing_key_always_lands_on_one_side(double percent)
    {
        await _registry.SetRegisteredModelAliasAsync("cancer", DeploymentTags.Champion, 1, CancellationToken.None);
        await _registry.SetRegisteredModelTagAsync("cancer", DeploymentTags.Canary, "2", CancellationToken.None);
        await _registry.SetRegisteredModelTagAsync("cancer", DeploymentTags.CanaryWeight, percent.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        await _manager.ReconcileAsync(CancellationToken.None);

        var canary = Enumerable.Range(0, 10_000).Count(_ => Answering(new ModelRequest("cancer")) == 2);
        Assert.InRange(canary / 100.0, percent * 0.97, percent * 1.03);

        var keyed = Enumerable.Range(0, 2_000).Select(i => $"customer-{i}").ToList();
        var sides = keyed.ToDictionary(k => k, k => Answering(new ModelRequest("cancer"), k));
        Assert.All(keyed, k => Assert.Equal(sides[k], Answering(new ModelRequest("cancer"), k)));
        Assert.InRange(sides.Values.Count(v => v == 2) / 20.0, percent - 4, percent + 4);
    }

    [Fact]
    public async Task A_shadow_gets_copies_whose_answers_are_compared_but_the_caller_always_gets_the_live_answer()
    {
        await _registry.SetRegisteredModelAliasAsync("cancer", DeploymentTags.Champion, 1, CancellationToken.None);
        await _registry.SetRegisteredModelTagAsync("cancer", DeploymentTags.Shadow, "2", CancellationToken.None);
        await _registry.SetRegisteredModelTagAsync("cancer", DeploymentTags.ShadowShare, "50", CancellationToken.None);
        await _manager.ReconcileAsync(CancellationToken.None);
        var comparisons = new System.Collections.Concurrent.ConcurrentQueue<ShadowComparison>();
        var shadowRecords = new System.Collections.Concurrent.ConcurrentQueue<PredictionRecord>();
        _service.ShadowCompared += comparisons.Enqueue;
        _service.Predicted += r =>
        {
            if (r.Shadow)
            {
                shadowRecords.Enqueue(r);
            }
        };
        using var direct = await ModelFlavors.Builtin.LoadPredictorAsync(_sdca.Path, CancellationToken.None);
        var expected = await direct.PredictAsync(_sdca.TestRows, CancellationToken.None);

        for (var i = 0; i < 20; i++)
        {
            using var call = _service.Begin(new ModelRequest("cancer"));
            var result = await _service.PredictAsync(call, _sdca.TestRows, $"req-{i}", CancellationToken.None);
            Assert.Equal(1, result.Answered.Version);
            Assert.Equal(expected.Probabilities, result.Predictions.Probabilities);
        }

        await ModelManagerTests.WaitForAsync(() => comparisons.Count == 10);
        Assert.All(comparisons, c => Assert.Equal((new ServableId("cancer", 1), new ServableId("cancer", 2), null), (c.Live, c.Shadow, c.Error)));
        Assert.All(comparisons, c => Assert.InRange(c.AgreedRows, c.Rows * 8 / 10, c.Rows));
        Assert.Equal(10, shadowRecords.Count);
    }
}
