using Ferry.Data.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// Runs a trained network on rows of raw values: predictions in chunks (bounded memory on big batches) and the
/// input gradient of the plain loss. Shared by the MLP and the CNN, which differ only in the shape of a row.
/// Safe to call from several threads once training is over: the network is in evaluation mode and only read.
/// </summary>
internal sealed class NetworkRunner(nn.Module<Tensor, Tensor> network, long[] rowShape, TaskKind task, int outputs, double targetMean, double targetScale)
{
    private const int ChunkRows = 4096;

    /// <summary>Values per row.</summary>
    public int RowLength { get; } = (int)rowShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether the task is a classification.</summary>
    public bool IsClassification => task != TaskKind.Regression;

    /// <summary>Class probabilities per row, or one value per row for regression (in the target's own units).</summary>
    public float[][] Predict(float[] inputs)
    {
        var rows = Rows(inputs);
        var result = new float[rows][];
        using var noGrad = no_grad();
        for (var start = 0; start < rows; start += ChunkRows)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(ChunkRows, rows - start);
            var x = tensor(inputs.AsSpan(start * RowLength, count * RowLength).ToArray(), [count, .. rowShape]);
            var output = network.forward(x);
            var values = (IsClassification ? nn.functional.softmax(output, 1) : output.MulScalar(targetScale).AddScalar(targetMean)).data<float>().ToArray();
            var width = values.Length / count;
            for (var i = 0; i < count; i++)
            {
                result[start + i] = values.AsSpan(i * width, width).ToArray();
            }
        }

        return result;
    }

    /// <summary>The mean plain loss of the batch and its gradient with respect to the inputs.</summary>
    public InputGradient LossGradient(float[] inputs, float[] labels)
    {
        var rows = Rows(inputs);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {rows} rows", nameof(labels));
        }

        using var scope = NewDisposeScope();
        var x = tensor(inputs, [rows, .. rowShape]).requires_grad_(true);
        var loss = Losses.Compute(IsClassification ? LossKind.CrossEntropy : LossKind.SquaredError, network.forward(x), Targets(labels), null);
        var gradient = autograd.grad([loss], [x])[0];
        return new InputGradient(loss.item<float>(), gradient.data<float>().ToArray());
    }

    /// <summary>Labels as the loss wants them: class indices, or the standardised target.</summary>
    public Tensor Targets(float[] labels)
    {
        if (!IsClassification)
        {
            return tensor(labels.Select(l => (float)((l - targetMean) / targetScale)).ToArray());
        }

        var bad = Array.FindIndex(labels, l => !(l >= 0 && l < outputs && l == MathF.Floor(l)));
        return bad < 0
            ? tensor(labels.Select(l => (long)l).ToArray())
            : throw new ArgumentException($"label {labels[bad]} at row {bad} is not a class index from 0 to {outputs - 1}", nameof(labels));
    }

    private int Rows(float[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Length % RowLength == 0
            ? inputs.Length / RowLength
            : throw new ArgumentException($"{inputs.Length} values do not make rows of {RowLength}", nameof(inputs));
    }
}
