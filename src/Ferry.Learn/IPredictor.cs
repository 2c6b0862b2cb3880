using Ferry.Data.Tables;

namespace Ferry.Learn;

/// <summary>
/// A loaded model that predicts a batch, whatever its flavor (ML.NET, TorchSharp, ONNX). The input is a table
/// with the signature's input columns (extra columns are ignored; a missing or mistyped one is refused with
/// a message naming it). Implementations are safe to call from several threads at once.
/// </summary>
public interface IPredictor : IDisposable
{
    /// <summary>The signature the predictor was trained with: what it reads and what it returns.</summary>
    ModelSignature Signature { get; }

    /// <summary>Predicts every row of <paramref name="features"/>.</summary>
    /// <param name="features">The rows to score, one column per signature input (by name).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="FerryException">INPUT_INVALID naming the column and the problem when the input does not fit the signature.</exception>
    Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken);
}
