using Ferry.Data.Tables;

namespace Ferry.Serving.Protocols;

/// <summary>A decoded Open Inference (KServe v2) inference request.</summary>
/// <param name="Features">The rows to predict, one column per signature input.</param>
/// <param name="Id">The request's <c>id</c>, echoed in the response; null when it sent none.</param>
/// <param name="Outputs">The output names it asked for, in its order; null for all of them.</param>
public sealed record OpenInferenceRequest(Table Features, string? Id, IReadOnlyList<string>? Outputs);
