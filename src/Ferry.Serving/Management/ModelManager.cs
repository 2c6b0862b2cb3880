using Ferry.Learn;
using Ferry.Learn.Packaging;
using Ferry.Serving.Sources;

namespace Ferry.Serving.Management;

/// <summary>A version that failed to load or warm up, and why; it is tried again after <see cref="ManagerOptions.RetryFailedAfter"/>.</summary>
/// <param name="Id">The version.</param>
/// <param name="Reason">What went wrong.</param>
/// <param name="At">When.</param>
public sealed record LoadFailure(ServableId Id, string Reason, DateTimeOffset At);

/// <summary>
/// Keeps the server's loaded versions in line with a <see cref="ModelSource"/> (after TF Serving's manager): it reads
/// the wanted state, loads and warms up missing versions on its own loader threads, then swaps every model's
/// <see cref="ModelRoute"/> at once and retires the versions no route uses; they unload when their in-flight requests
/// are done. A version that fails to load never takes traffic: the model keeps the version it had.
/// </summary>
public sealed class ModelManager : IAsyncDisposable
{
    private readonly ModelSource _source;
    private readonly ModelFlavors _flavors;
    private readonly ManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly LoaderScheduler _loader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<ServableId, Servable> _loaded = [];
    private readonly Dictionary<ServableId, LoadFailure> _failures = [];
    private readonly List<Task> _retiring = [];
    private IReadOnlyDictionary<string, ModelRoute> _routes = new Dictionary<string, ModelRoute>();
    private IReadOnlyList<ModelTarget> _targets = [];

    /// <summary>Creates a manager; nothing is read or loaded until <see cref="ReconcileAsync"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="source">Which versions to serve.</param>
    /// <param name="flavors">The flavors packages are loaded with.</param>
    /// <param name="options">Polling, loading and draining settings.</param>
    /// <param name="time">The clock.</param>
    public ModelManager(ModelSource source, ModelFlavors flavors, ManagerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _source = source;
        _flavors = flavors;
        _options = options;
        _time = time;
        _loader = new LoaderScheduler(options.LoaderThreads);
    }

    /// <summary>Raised for every state change of every version, in order per version.</summary>
    public event Action<ServableEvent>? Changed;

    /// <summary>The routes now in force, by model name.</summary>
    public IReadOnlyDictionary<string, ModelRoute> Routes => Volatile.Read(ref _routes);

    /// <summary>What the source wanted at the last successful read.</summary>
    public IReadOnlyList<ModelTarget> Targets => Volatile.Read(ref _targets);

    /// <summary>The source.</summary>
    public ModelSource Source => _source;

    /// <summary>Versions that failed to load and have not loaded since.</summary>
    public IReadOnlyList<LoadFailure> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures.Values];
            }
        }
    }

    /// <summary>Why the last read of the source failed, or null when it succeeded.</summary>
    public string? SourceError { get; private set; }

    /// <summary>Whether a reconcile has completed: until then, no model is known, served or not.</summary>
    public bool HasRead { get; private set; }

    /// <summary>Whether the source has been read and every model it names has a version serving.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Reads the source and polls it every <see cref="ManagerOptions.PollInterval"/> until cancelled.</summary>
    /// <param name="cancellationToken">Stops polling.</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(cancellationToken);
                await Task.Delay(_options.PollInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads the source once and brings the loaded versions and routes in line with it. A source that cannot be read
    /// changes nothing (<see cref="SourceError"/> says why).
    /// </summary>
    /// <param name="cancellationToken">Cancels loads under way; routes are not changed then.</param>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            IReadOnlyList<ModelTarget> targets;
            try
            {
                targets = await _source.ReadTargetsAsync(cancellationToken);
                SourceError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SourceError = $"{_source.Description} could not be read: {e.Message}";
                return;
            }

            await LoadMissingAsync(targets, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var routes = BuildRoutes(targets);
            Volatile.Write(ref _routes, routes);
            Volatile.Write(ref _targets, targets);
            IsReady = targets.All(t => routes.ContainsKey(t.Model));
            HasRead = true;
            RetireUnused(routes);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops loading, retires every version (waiting for their requests) and frees the loader threads.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            Volatile.Write(ref _routes, new Dictionary<string, ModelRoute>());
            RetireUnused(new Dictionary<string, ModelRoute>());
            Task[] retiring;
            lock (_retiring)
            {
                retiring = [.. _retiring];
            }

            await Task.WhenAll(retiring);
        }
        finally
        {
            _gate.Release();
            _loader.Dispose();
        }
    }

    private async Task LoadMissingAsync(IReadOnlyList<ModelTarget> targets, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var missing = new List<ServableId>();
        foreach (var id in targets.SelectMany(t => t.Versions.Select(v => new ServableId(t.Model, v))))
        {
            lock (_failures)
            {
                if (_loaded.ContainsKey(id) || (_failures.TryGetValue(id, out var failure) && now - failure.At < _options.RetryFailedAfter))
                {
                    continue;
                }
            }

            missing.Add(id);
        }

        var loaded = await Task.WhenAll(missing.Select(id => LoadAsync(id, cancellationToken)));
        foreach (var servable in loaded.OfType<Servable>())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                servable.DisposeUnused();
                continue;
            }

            _loaded[servable.Id] = servable;
        }
    }

    private async Task<Servable?> LoadAsync(ServableId id, CancellationToken cancellationToken)
    {
        Publish(new ServableEvent(id, ServableState.Loading, _time.GetUtcNow()));
        var started = _time.GetTimestamp();
        try
        {
            var servable = await _loader.Run(() => LoadOnLoaderAsync(id, cancellationToken), cancellationToken);
            lock (_failures)
            {
                _failures.Remove(id);
            }

            Publish(new ServableEvent(id, ServableState.Available, _time.GetUtcNow(), Seconds: _time.GetElapsedTime(started).TotalSeconds));
            return servable;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is FerryException f ? f.Describe() : $"{e.GetType().Name}: {e.Message}";
            var at = _time.GetUtcNow();
            lock (_failures)
            {
                _failures[id] = new LoadFailure(id, reason, at);
            }

            Publish(new ServableEvent(id, ServableState.Failed, at, reason, _time.GetElapsedTime(started).TotalSeconds));
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<Servable> LoadOnLoaderAsync(ServableId id, CancellationToken cancellationToken)
    {
        var path = await _source.LocateAsync(id, cancellationToken);
        var package = await ModelPackage.OpenAsync(path, cancellationToken);
        IPredictor? predictor = null;
        try
        {
            predictor = await _flavors.LoadPredictorAsync(package, cancellationToken);
            if (WarmupRows.For(predictor.Signature) is { } rows)
            {
                for (var run = 0; run < _options.WarmupRuns; run++)
                {
                    await predictor.PredictAsync(rows, cancellationToken);
                }
            }

            var served = _options.Decorate?.Invoke(predictor, id) ?? predictor;
            return new Servable(id, served, package.Manifest.Flavor, _time.GetUtcNow(), package);
        }
        catch
        {
            predictor?.Dispose();
            package.Dispose();
            throw;
        }
    }

    private Dictionary<string, ModelRoute> BuildRoutes(IReadOnlyList<ModelTarget> targets)
    {
        var current = Routes;
        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            Servable? Loaded(int version) => _loaded.GetValueOrDefault(new ServableId(target.Model, version));

            // A primary that failed to load leaves the model on the version it had.
            var primary = Loaded(target.Primary) ?? current.GetValueOrDefault(target.Model)?.Primary;
            if (primary is null)
            {
                continue;
            }

            var versions = target.Versions.Select(Loaded).OfType<Servable>().Append(primary).DistinctBy(s => s.Id.Version).ToDictionary(s => s.Id.Version);
            var labels = target.Labels.Where(l => versions.ContainsKey(l.Value)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            var canary = target.Canary is { } c ? Loaded(c.Version) : null;
            var shadow = target.Shadow is { } s ? Loaded(s.Version) : null;
            routes[target.Model] = new ModelRoute(target.Model, primary, versions, labels, canary, target.Canary?.Share ?? 0, shadow, target.Shadow?.Share ?? 0);
        }

        return routes;
    }

    private void RetireUnused(IReadOnlyDictionary<string, ModelRoute> routes)
    {
        var used = routes.Values.SelectMany(r => r.Versions.Values).Select(s => s.Id).ToHashSet();
        foreach (var servable in _loaded.Values.Where(s => !used.Contains(s.Id)).ToList())
        {
            _loaded.Remove(servable.Id);
            Publish(new ServableEvent(servable.Id, ServableState.Unloading, _time.GetUtcNow()));
            var retiring = RetireAsync(servable);
            lock (_retiring)
            {
                _retiring.Add(retiring);
                _retiring.RemoveAll(t => t.IsCompleted);
            }
        }
    }

    private async Task RetireAsync(Servable servable)
    {
        var drained = await servable.RetireAsync(_options.DrainTimeout, _time);
        Publish(new ServableEvent(servable.Id, ServableState.End, _time.GetUtcNow(), drained ? null : $"unloaded with {servable.InFlight} requests still running after {_options.DrainTimeout.TotalSeconds:0} s"));
    }

    private void Publish(ServableEvent change) => Changed?.Invoke(change);
}
