using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>The optimiser settings of one fit.</summary>
/// <param name="Epochs">The most passes over the training rows.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="LearningRate">AdamW's step size.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay.</param>
/// <param name="Patience">Epochs without a better validation loss before stopping.</param>
internal sealed record LoopSettings(int Epochs, int BatchSize, double LearningRate, double WeightDecay, int Patience);

/// <summary>
/// Minibatch AdamW with early stopping: after each epoch the held-back loss is measured, the best weights are
/// kept, and training stops once <see cref="LoopSettings.Patience"/> epochs pass without improvement. Cancellation
/// is checked between batches, so a cancelled trial stops within one batch.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>Trains <paramref name="network"/> in place and leaves it in evaluation mode with the best weights.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="trainRows">How many training rows there are; batches are index tensors into them.</param>
    /// <param name="batchLoss">The training loss of the rows whose indices it gets (an int64 tensor), in training mode.</param>
    /// <param name="validationLoss">The held-back loss, computed in evaluation mode; null to run every epoch.</param>
    /// <param name="settings">Optimiser settings.</param>
    /// <param name="validationRows">How many rows <paramref name="validationLoss"/> measures, for the report.</param>
    /// <param name="random">Shuffles the rows each epoch.</param>
    /// <param name="cancellationToken">Stops training with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="FerryException">TRAINING_DIVERGED when the loss is not finite before any weights could be kept.</exception>
    public static FitReport Run(
        nn.Module<Tensor, Tensor> network,
        int trainRows,
        Func<Tensor, Tensor> batchLoss,
        Func<double>? validationLoss,
        LoopSettings settings,
        int validationRows,
        Random random,
        CancellationToken cancellationToken)
    {
        using var optimizer = new AdamW(network.parameters(), settings.LearningRate, settings.WeightDecay);
        var order = Enumerable.Range(0, trainRows).Select(r => (long)r).ToArray();
        Tensor[]? best = null;
        var bestLoss = double.PositiveInfinity;
        var bestEpoch = 0;
        var epochs = 0;
        var trainLoss = double.NaN;
        try
        {
            while (epochs < settings.Epochs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                epochs++;
                network.train();
                random.Shuffle(order);
                trainLoss = Epoch(optimizer, order, batchLoss, settings.BatchSize, cancellationToken);
                if (!double.IsFinite(trainLoss))
                {
                    if (best is null)
                    {
                        throw FerryException.Invalid(
                            "TRAINING_DIVERGED",
                            $"training diverged in epoch {epochs} (the loss is {trainLoss}); lower the learning_rate (now {settings.LearningRate}) or check the features for huge values");
                    }

                    break;
                }

                if (validationLoss is null)
                {
                    continue;
                }

                network.eval();
                var loss = validationLoss();
                if (loss < bestLoss)
                {
                    bestLoss = loss;
                    bestEpoch = epochs;
                    Keep(network, ref best);
                }
                else if (epochs - bestEpoch >= settings.Patience)
                {
                    break;
                }
            }

            network.eval();
            if (best is not null)
            {
                Restore(network, best);
            }

            return new FitReport(epochs, best is null ? epochs : bestEpoch, best is null ? null : bestLoss, trainLoss, validationRows);
        }
        finally
        {
            foreach (var tensor in best ?? [])
            {
                tensor.Dispose();
            }
        }
    }

    private static double Epoch(AdamW optimizer, long[] order, Func<Tensor, Tensor> batchLoss, int batchSize, CancellationToken cancellationToken)
    {
        double sum = 0;
        var batches = 0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var index = tensor(order[start..Math.Min(order.Length, start + batchSize)]);
            optimizer.ZeroGrad();
            var loss = batchLoss(index);
            loss.backward();
            optimizer.Step();
            sum += loss.item<float>();
            batches++;
        }

        return sum / Math.Max(1, batches);
    }

    private static void Keep(nn.Module<Tensor, Tensor> network, ref Tensor[]? best)
    {
        using var noGrad = no_grad();
        var parameters = network.parameters().ToArray();
        best ??= [.. parameters.Select(p => zeros_like(p))];
        for (var i = 0; i < parameters.Length; i++)
        {
            best[i].copy_(parameters[i]);
        }
    }

    private static void Restore(nn.Module<Tensor, Tensor> network, Tensor[] best)
    {
        using var noGrad = no_grad();
        var parameters = network.parameters().ToArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].copy_(best[i]);
        }
    }
}
