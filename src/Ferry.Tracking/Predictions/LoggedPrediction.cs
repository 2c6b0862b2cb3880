namespace Ferry.Tracking.Predictions;

/// <summary>
/// One request as the prediction log keeps it. A request of several rows is one record: <see cref="InputsJson"/>
/// is a JSON array of row objects and <see cref="OutputsJson"/> a JSON array of their answers, in the same order.
/// </summary>
/// <param name="RequestId">The request id the caller got back; feedback attaches the label by it.</param>
/// <param name="Model">The served model's name.</param>
/// <param name="Version">The version that answered.</param>
/// <param name="At">When the request arrived, epoch milliseconds.</param>
/// <param name="LatencyMs">How long the prediction took, in milliseconds.</param>
/// <param name="InputsJson">The rows predicted, as JSON.</param>
/// <param name="OutputsJson">The answers, as JSON.</param>
/// <param name="Shadow">Whether a shadow version gave this answer (it was never returned to the caller).</param>
/// <param name="Label">The true label, once feedback attached it (the caller's text, stored as given).</param>
/// <param name="LabelAt">When the label was attached, epoch milliseconds.</param>
public sealed record LoggedPrediction(
    string RequestId,
    string Model,
    int Version,
    long At,
    double LatencyMs,
    string InputsJson,
    string OutputsJson,
    bool Shadow = false,
    string? Label = null,
    long? LabelAt = null);
