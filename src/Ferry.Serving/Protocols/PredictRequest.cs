using Ferry.Data.Tables;

namespace Ferry.Serving.Protocols;

/// <summary>A decoded TF Serving style <c>:predict</c> request.</summary>
/// <param name="Features">The rows to predict, one column per signature input.</param>
/// <param name="Columnar">Whether it came as <c>inputs</c> (columns), which TF Serving answers with <c>outputs</c> rather than <c>predictions</c>.</param>
public sealed record PredictRequest(Table Features, bool Columnar);
