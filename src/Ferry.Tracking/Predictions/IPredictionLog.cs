namespace Ferry.Tracking.Predictions;

/// <summary>
/// The prediction log: what a served model was asked and answered, kept in the tracking store's database so
/// feedback labels, monitoring and retraining read it beside the runs and the registry. Bad fields are
/// INVALID_PARAMETER_VALUE (<see cref="ErrorKind.InvalidInput"/>), naming the field.
/// </summary>
public interface IPredictionLog
{
    /// <summary>Appends <paramref name="records"/> in one transaction: all of them are kept, or none.</summary>
    Task AppendAsync(IReadOnlyList<LoggedPrediction> records, CancellationToken cancellationToken);

    /// <summary>
    /// Sets (or replaces) the true label of every record of <paramref name="requestId"/> (the live answer and its
    /// shadows) and stamps when it came.
    /// </summary>
    /// <returns>How many records were labelled; 0 when no record has that request id.</returns>
    Task<int> AttachLabelAsync(string requestId, string label, CancellationToken cancellationToken);

    /// <summary>The records of one model that match <paramref name="query"/>, oldest first.</summary>
    Task<IReadOnlyList<LoggedPrediction>> ReadAsync(PredictionQuery query, CancellationToken cancellationToken);
}
