using System.Collections.Concurrent;
using Ferry.Learn.Packaging;
using Ferry.Serving.Management;
using Ferry.Serving.Sources;

namespace Ferry.Serving.Tests.Management;

public sealed class ModelManagerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ferry-models-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Place(ServingPackage package, string model, int version)
    {
        var target = Path.Combine(_root.FullName, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ServingPackages.CopyTo(package, target);
        return target;
    }

    private ModelManager Manager(ConcurrentQueue<ServableEvent>? events = null)
    {
        var manager = new ModelManager(new FolderSource(_root.FullName), ModelFlavors.Builtin, new ManagerOptions { WarmupRuns = 1 }, TimeProvider.System);
        if (events is not null)
        {
            manager.Changed += events.Enqueue;
        }

        return manager;
    }

    private static async Task<Learn.Predictions> PredictAsync(InferenceService service, string model, ServingPackage package)
    {
        using var call = service.Begin(new ModelRequest(model));
        return (await service.PredictAsync(call, package.TestRows, "r", CancellationToken.None)).Predictions;
    }

    [Fact]
    public async Task Each_model_folder_is_served_at_its_highest_version_and_predicts_as_its_package_does()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        var penguins = await ServingPackages.GetAsync("penguins", "lightgbm");
        Place(cancer, "cancer", 1);
        Place(penguins, "penguins", 3);
        Place(penguins, "penguins", 12);
        await using var manager = Manager();
        var service = new InferenceService(manager, TimeProvider.System);

        await manager.ReconcileAsync(CancellationToken.None);

        Assert.True(manager.IsReady);
        Assert.Equal(["cancer", "penguins"], manager.Routes.Keys.Order());
        Assert.Equal(12, manager.Routes["penguins"].Primary.Id.Version);
        using var direct = await ModelFlavors.Builtin.LoadPredictorAsync(penguins.Path, CancellationToken.None);
        var expected = await direct.PredictAsync(penguins.TestRows, CancellationToken.None);
        var served = await PredictAsync(service, "penguins", penguins);
        Assert.Equal(expected.Labels, served.Labels);
        Assert.Equal(expected.Probabilities, served.Probabilities);
        var unknown = Assert.Throws<FerryException>(() => service.Begin(new ModelRequest("nope")));
        Assert.Equal(ServingErrors.ModelNotFound, unknown.Code);
        Assert.Contains("cancer, penguins", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_version_takes_traffic_once_loaded_and_the_old_one_unloads_only_after_its_requests_finish()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        var other = await ServingPackages.GetAsync("breast_cancer", "lightgbm");
        Place(cancer, "cancer", 1);
        var events = new ConcurrentQueue<ServableEvent>();
        await using var manager = Manager(events);
        var service = new InferenceService(manager, TimeProvider.System);
        await manager.ReconcileAsync(CancellationToken.None);
        var held = service.Begin(new ModelRequest("cancer"));

        Place(other, "cancer", 2);
        await manager.ReconcileAsync(CancellationToken.None);

        using (var call = service.Begin(new ModelRequest("cancer")))
        {
            Assert.Equal(2, call.Answering.Version);
        }

        // The request that took version 1 before the swap still completes on it.
        var answer = await service.PredictAsync(held, cancer.TestRows, "held", CancellationToken.None);
        Assert.Equal(1, answer.Answered.Version);
        Assert.DoesNotContain(events, e => e.Id.Version == 1 && e.State == ServableState.End);
        held.Dispose();
        await WaitForAsync(() => events.Any(e => e.Id.Version == 1 && e.State == ServableState.End));
        var states = events.Where(e => e.Id.Version == 2).Select(e => e.State).ToList();
        Assert.Equal([ServableState.Loading, ServableState.Available], states);
    }

    [Fact]
    public async Task A_tampered_version_never_takes_traffic_and_the_manager_says_why()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        Place(cancer, "cancer", 1);
        await using var manager = Manager();
        var service = new InferenceService(manager, TimeProvider.System);
        await manager.ReconcileAsync(CancellationToken.None);

        var bad = Place(cancer, "cancer", 2);
        var model = Directory.EnumerateFiles(bad, "*.zip", SearchOption.AllDirectories).First();
        await File.AppendAllTextAsync(model, "tampered");
        await manager.ReconcileAsync(CancellationToken.None);

        using var call = service.Begin(new ModelRequest("cancer"));
        Assert.Equal(1, call.Answering.Version);
        var failure = Assert.Single(manager.Failures);
        Assert.Equal(new ServableId("cancer", 2), failure.Id);
        Assert.Contains("changed or damaged", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_first_read_every_model_is_not_ready_rather_than_unknown_and_an_unreadable_source_says_why()
    {
        await using var manager = new ModelManager(new FolderSource(Path.Combine(_root.FullName, "missing")), ModelFlavors.Builtin, new ManagerOptions(), TimeProvider.System);
        var service = new InferenceService(manager, TimeProvider.System);

        var early = Assert.Throws<FerryException>(() => service.Begin(new ModelRequest("cancer")));
        await manager.ReconcileAsync(CancellationToken.None);
        var unreadable = Assert.Throws<FerryException>(() => service.Begin(new ModelRequest("cancer")));

        Assert.Equal((ErrorKind.Unavailable, ServingErrors.ModelNotReady), (early.Kind, early.Code));
        Assert.Contains("still reading model folder", early.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Unavailable, unreadable.Kind);
        Assert.Contains("does not exist", unreadable.Message, StringComparison.Ordinal);
        Assert.False(manager.IsReady);
    }

    [Fact]
    public async Task A_model_whose_only_version_fails_is_reported_not_ready_with_the_reason()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        var bad = Place(cancer, "cancer", 1);
        File.Delete(Path.Combine(bad, ModelPackage.ManifestFile));
        await using var manager = Manager();
        var service = new InferenceService(manager, TimeProvider.System);

        await manager.ReconcileAsync(CancellationToken.None);

        Assert.False(manager.IsReady);
        var error = Assert.Throws<FerryException>(() => service.Begin(new ModelRequest("cancer")));
        Assert.Equal(ServingErrors.ModelNotReady, error.Code);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("version 1 failed to load", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_back_and_forth_under_concurrent_requests_fails_none_of_them()
    {
        var cancer = await ServingPackages.GetAsync("breast_cancer");
        var other = await ServingPackages.GetAsync("breast_cancer", "lightgbm");
        Place(cancer, "cancer", 1);
        await using var manager = Manager();
        var service = new InferenceService(manager, TimeProvider.System);
        await manager.ReconcileAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var answered = new ConcurrentDictionary<int, int>();
        var row = cancer.TestRows.SelectRows([0]);

        async Task ClientAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                using var call = service.Begin(new ModelRequest("cancer"));
                var result = await service.PredictAsync(call, row, "c", CancellationToken.None);
                answered.AddOrUpdate(result.Answered.Version, 1, (_, n) => n + 1);
            }
        }

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(ClientAsync)).ToList();
        for (var swap = 2; swap <= 5; swap++)
        {
            Place(swap % 2 == 0 ? other : cancer, "cancer", swap);
            await manager.ReconcileAsync(CancellationToken.None);
            Assert.Equal(swap, manager.Routes["cancer"].Primary.Id.Version);
            await WaitForAsync(() => answered.ContainsKey(swap));
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);  // a failed request would surface here
        Assert.True(answered.Keys.Count >= 4, string.Join(", ", answered.Keys));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
