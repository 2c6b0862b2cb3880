using Ferry.Learn;

namespace Ferry.Serving;

/// <summary>
/// A loaded, warmed-up model version. Callers hold a <see cref="ServableLease"/> while they use it; once the
/// manager retires it (no longer routed to), it waits for the leases still out and then disposes the predictor, so a
/// swap never cuts off a request in flight.
/// </summary>
public sealed class Servable
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _retired;

    private readonly IDisposable? _owner;

    internal Servable(ServableId id, IPredictor predictor, string flavor, DateTimeOffset loadedAt, IDisposable? owner = null)
    {
        _owner = owner;
        Id = id;
        Predictor = predictor;
        Flavor = flavor;
        LoadedAt = loadedAt;
    }

    /// <summary>Which model version this is.</summary>
    public ServableId Id { get; }

    /// <summary>The predictor requests go to (with batching in front when it is on).</summary>
    public IPredictor Predictor { get; }

    /// <summary>What the version reads and returns.</summary>
    public ModelSignature Signature => Predictor.Signature;

    /// <summary>The package flavor (mlnet, torch, onnx, ensemble).</summary>
    public string Flavor { get; }

    /// <summary>When it became available.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Requests holding a lease now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A lease for one request, or null when the version has been retired (ask the manager again).</summary>
    public ServableLease? TryAcquire()
    {
        Interlocked.Increment(ref _inFlight);
        if (_retired)
        {
            Release();
            return null;
        }

        return new ServableLease(this);
    }

    /// <summary>Stops new leases, waits for those out (at most <paramref name="drainTimeout"/>), then disposes the predictor.</summary>
    /// <returns>True when every lease came back before the timeout.</returns>
    internal async Task<bool> RetireAsync(TimeSpan drainTimeout, TimeProvider time)
    {
        _retired = true;
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }

        var drained = true;
        try
        {
            await _drained.Task.WaitAsync(drainTimeout, time);
        }
        catch (TimeoutException)
        {
            // A request stuck longer than the drain timeout must not pin the old version's memory for ever.
            drained = false;
        }

        DisposeUnused();
        return drained;
    }

    /// <summary>Disposes the predictor and what it was loaded from (the opened package), once no request holds it.</summary>
    internal void DisposeUnused()
    {
        Predictor.Dispose();
        _owner?.Dispose();
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _retired)
        {
            _drained.TrySetResult();
        }
    }
}

/// <summary>One request's hold on a <see cref="Servable"/>; disposing it lets the version unload once retired.</summary>
public sealed class ServableLease : IDisposable
{
    private int _released;

    internal ServableLease(Servable servable) => Servable = servable;

    /// <summary>The version held.</summary>
    public Servable Servable { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Servable.Release();
        }
    }
}
