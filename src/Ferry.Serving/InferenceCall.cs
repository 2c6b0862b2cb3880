using Ferry.Learn;
using Ferry.Serving.Management;

namespace Ferry.Serving;

/// <summary>Which model a request asks for: a name, and at most one of a version number or a label (alias).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Version">A version number, or null for the routed version.</param>
/// <param name="Label">An alias, or null.</param>
public sealed record ModelRequest(string Model, int? Version = null, string? Label = null);

/// <summary>
/// One request's hold on the version chosen for it (and on a shadow version when it is copied there). The caller reads
/// <see cref="Signature"/> to decode its input, predicts through <see cref="InferenceService.PredictAsync"/>, and disposes it.
/// </summary>
public sealed class InferenceCall : IDisposable
{
    internal InferenceCall(ServableLease lease, ServableLease? shadow)
    {
        Lease = lease;
        ShadowLease = shadow;
    }

    /// <summary>The version that will answer.</summary>
    public ServableId Answering => Lease.Servable.Id;

    /// <summary>The loaded version that will answer.</summary>
    public Servable Servable => Lease.Servable;

    /// <summary>What that version reads and returns.</summary>
    public ModelSignature Signature => Lease.Servable.Signature;

    internal ServableLease Lease { get; }

    internal ServableLease? ShadowLease { get; private set; }

    /// <summary>Hands the shadow lease to the shadow task, which releases it when done.</summary>
    internal ServableLease? TakeShadow()
    {
        var shadow = ShadowLease;
        ShadowLease = null;
        return shadow;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Lease.Dispose();
        ShadowLease?.Dispose();
    }
}

/// <summary>A prediction and the version that made it.</summary>
/// <param name="Answered">The version that answered.</param>
/// <param name="Predictions">What it predicted.</param>
/// <param name="LatencyMs">How long the prediction took (queueing for a batch included).</param>
public sealed record InferenceResult(ServableId Answered, Predictions Predictions, double LatencyMs);

/// <summary>A shadow version's answer beside the live one.</summary>
/// <param name="Live">The version that answered the caller.</param>
/// <param name="Shadow">The shadow version.</param>
/// <param name="Rows">Rows compared.</param>
/// <param name="AgreedRows">Rows where both predicted the same label (or, for regression, values within 1e-6 relative).</param>
/// <param name="LiveMs">The live prediction's latency.</param>
/// <param name="ShadowMs">The shadow prediction's latency (NaN when it failed).</param>
/// <param name="Error">Why the shadow failed, if it did.</param>
public sealed record ShadowComparison(ServableId Live, ServableId Shadow, int Rows, int AgreedRows, double LiveMs, double ShadowMs, string? Error = null);
