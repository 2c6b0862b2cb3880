using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>The training objectives the TorchSharp learners use.</summary>
internal enum LossKind
{
    /// <summary>Cross-entropy on class indices.</summary>
    CrossEntropy,

    /// <summary>
    /// Focal loss (Lin et al. 2017): cross-entropy scaled by (1 - p_true)^gamma, so rows the model already gets
    /// right (mostly the majority class) count less and the hard minority rows count more, with the paper's
    /// alpha-balancing by class (see <see cref="Losses.RowWeights"/>). The focusing term alone does not move the
    /// decision boundary toward the minority; together they do.
    /// </summary>
    Focal,

    /// <summary>Mean squared error on a single output (regression on a standardised target).</summary>
    SquaredError,
}

/// <summary>Computes a <see cref="LossKind"/> as a per-row loss averaged with optional row weights.</summary>
internal static class Losses
{
    /// <summary>The focal exponent; 2 is the value the focal-loss paper found best and the common default.</summary>
    public const double FocalGamma = 2;

    /// <summary>Parses the <c>loss</c> hyperparameter of a classifier.</summary>
    public static LossKind ParseClassification(string text) => text switch
    {
        "ce" => LossKind.CrossEntropy,
        "focal" => LossKind.Focal,
        _ => throw FerryException.Invalid("HYPERPARAMETER_INVALID", $"loss '{text}' is not known; use 'ce' (cross-entropy) or 'focal'"),
    };

    /// <summary>
    /// The row weights a fit trains with: the set's own when given (the search's class weights); for focal loss
    /// without them, balanced class weights (rows / (classes x class rows)), focal loss's alpha term; otherwise none.
    /// </summary>
    public static float[]? RowWeights(LossKind kind, float[] labels, float[]? weights, int classes)
    {
        if (weights is not null || kind != LossKind.Focal)
        {
            return weights;
        }

        var counts = new int[classes];
        foreach (var label in labels)
        {
            counts[(int)label]++;
        }

        return [.. labels.Select(l => (float)(labels.Length / ((double)classes * counts[(int)l])))];
    }

    /// <summary>
    /// The batch loss: mean over rows of the per-row loss, or the weighted mean when <paramref name="weights"/> is given.
    /// <paramref name="target"/> holds class indices (int64) for classification and values (float32) for regression.
    /// </summary>
    public static Tensor Compute(LossKind kind, Tensor output, Tensor target, Tensor? weights)
    {
        var perRow = kind switch
        {
            LossKind.SquaredError => Squared(output.squeeze(1) - target),
            LossKind.CrossEntropy => nn.functional.cross_entropy(output, target, reduction: nn.Reduction.None),
            _ => Focal(output, target),
        };
        return weights is null ? perRow.mean() : (perRow * weights).sum() / weights.sum().ClampMinScalar(1e-12);
    }

    /// <summary>Element-wise square; Tensor.square() raises to a power given as an implicit Scalar.</summary>
    private static Tensor Squared(Tensor x) => x * x;

    private static Tensor Focal(Tensor logits, Tensor target)
    {
        var crossEntropy = nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.None);
        var pTrue = (-crossEntropy).exp();
        return pTrue.neg().AddScalar(1).PowScalar(FocalGamma) * crossEntropy;
    }
}
