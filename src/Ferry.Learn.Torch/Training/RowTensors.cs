using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// A fit's data as tensors, split once into the training rows and the held-back rows, so each batch is one
/// index_select rather than a copy from managed arrays.
/// </summary>
internal sealed class RowTensors : IDisposable
{
    private const int ValidationChunk = 2048;

    private readonly Tensor _trainInputs;
    private readonly Tensor _trainTargets;
    private readonly Tensor? _trainWeights;
    private readonly Tensor? _validationInputs;
    private readonly Tensor? _validationTargets;
    private readonly Tensor? _validationWeights;

    /// <summary>Builds the tensors; takes ownership of <paramref name="targets"/>.</summary>
    /// <param name="values">All rows' values, row-major.</param>
    /// <param name="rowShape">The shape of one row (features, or channels × height × width).</param>
    /// <param name="targets">One target per row, as the loss wants it.</param>
    /// <param name="weights">One weight per row, or null.</param>
    /// <param name="trainRows">The rows to train on.</param>
    /// <param name="validationRows">The rows held back (may be empty).</param>
    public RowTensors(float[] values, long[] rowShape, Tensor targets, float[]? weights, int[] trainRows, int[] validationRows)
    {
        using (targets)
        using (var all = tensor(values, [targets.shape[0], .. rowShape]))
        using (var allWeights = weights is null ? null : tensor(weights))
        {
            (_trainInputs, _trainTargets, _trainWeights) = Select(all, targets, allWeights, trainRows);
            if (validationRows.Length > 0)
            {
                (_validationInputs, _validationTargets, _validationWeights) = Select(all, targets, allWeights, validationRows);
            }
        }
    }

    /// <summary>Training inputs at the given positions (an int64 tensor of indices into the training rows).</summary>
    public Tensor TrainInputs(Tensor index) => _trainInputs.index_select(0, index);

    /// <summary>Training targets at the given positions.</summary>
    public Tensor TrainTargets(Tensor index) => _trainTargets.index_select(0, index);

    /// <summary>Training weights at the given positions, or null when rows are unweighted.</summary>
    public Tensor? TrainWeights(Tensor index) => _trainWeights?.index_select(0, index);

    /// <summary>The (weighted) mean loss over the held-back rows, in chunks, without gradients.</summary>
    public double ValidationLoss(Func<Tensor, Tensor> forward, LossKind kind)
    {
        if (_validationInputs is null || _validationTargets is null)
        {
            throw new InvalidOperationException("no rows were held back");
        }

        using var noGrad = no_grad();
        var rows = _validationInputs.shape[0];
        double total = 0, weight = 0;
        for (long start = 0; start < rows; start += ValidationChunk)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(ValidationChunk, rows - start);
            var chunkWeights = _validationWeights?.narrow(0, start, count);
            var loss = Losses.Compute(kind, forward(_validationInputs.narrow(0, start, count)), _validationTargets.narrow(0, start, count), chunkWeights);
            var chunkWeight = chunkWeights is null ? count : chunkWeights.sum().item<float>();
            total += loss.item<float>() * chunkWeight;
            weight += chunkWeight;
        }

        return weight > 0 ? total / weight : 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in new[] { _trainInputs, _trainTargets, _trainWeights, _validationInputs, _validationTargets, _validationWeights })
        {
            tensor?.Dispose();
        }
    }

    private static (Tensor Inputs, Tensor Targets, Tensor? Weights) Select(Tensor inputs, Tensor targets, Tensor? weights, int[] rows)
    {
        using var index = tensor(rows.Select(r => (long)r).ToArray());
        return (inputs.index_select(0, index), targets.index_select(0, index), weights?.index_select(0, index));
    }
}
