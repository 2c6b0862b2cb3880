namespace Ferry.Learn.Torch;

/// <summary>What one TorchSharp fit did, for the trial's params and tags.</summary>
/// <param name="Epochs">Epochs run (fewer than the maximum when early stopping ended the fit).</param>
/// <param name="BestEpoch">The epoch whose weights were kept (the best on the held-back slice), or the last epoch without one.</param>
/// <param name="ValidationLoss">The loss on the held-back slice at <see cref="BestEpoch"/>; null when the data was too small to hold rows back.</param>
/// <param name="TrainLoss">The mean training loss of the last epoch run.</param>
/// <param name="ValidationRows">How many of the given rows were held back for early stopping.</param>
public sealed record FitReport(int Epochs, int BestEpoch, double? ValidationLoss, double TrainLoss, int ValidationRows);
