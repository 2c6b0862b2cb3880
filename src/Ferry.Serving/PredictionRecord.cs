using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving;

/// <summary>
/// One answered request (or its shadow copy) as the serving path hands it to the prediction log. It holds the
/// request's own objects, not JSON: serialising is the log writer's work, off the request path.
/// </summary>
/// <param name="RequestId">The request id the response carried (the key feedback attaches a label to).</param>
/// <param name="Servable">The version that answered.</param>
/// <param name="At">When the request arrived.</param>
/// <param name="LatencyMs">How long the prediction took, in milliseconds.</param>
/// <param name="Inputs">The rows predicted.</param>
/// <param name="Outputs">What the version returned.</param>
/// <param name="Shadow">Whether this is a shadow version's answer (never returned to the caller).</param>
public sealed record PredictionRecord(string RequestId, ServableId Servable, DateTimeOffset At, double LatencyMs, Table Inputs, Predictions Outputs, bool Shadow = false);
