namespace Ferry.Learn.Torch;

/// <summary>
/// A TorchSharp model whose loss can be differentiated with respect to its input batch, for the robustness checks
/// (FGSM and PGD attacks nudge each input value along the sign of this gradient). Inputs are in the model's own
/// input space: featurised, scaled rows for the MLP; pixels in [0, 1] (channel, row, column order, at the model's
/// image shape) for the CNN, so an attack can clip them back to valid pixels.
/// </summary>
public interface IInputGradients
{
    /// <summary>How many values make one input row.</summary>
    int InputLength { get; }

    /// <summary>Scores rows given in the input space: class probabilities, or a single value for regression.</summary>
    /// <param name="inputs">Row-major values, a whole number of rows of <see cref="InputLength"/>.</param>
    float[][] PredictInputs(float[] inputs);

    /// <summary>
    /// The model's plain loss on the batch (mean cross-entropy for classification; mean squared error on the
    /// standardised target for regression; no class weights, no focal term, dropout and augmentation off) and its
    /// gradient with respect to every input value.
    /// </summary>
    /// <param name="inputs">Row-major values, a whole number of rows of <see cref="InputLength"/>.</param>
    /// <param name="labels">One label per row: the class index, or the target value for regression.</param>
    InputGradient LossGradient(float[] inputs, float[] labels);
}

/// <summary>A batch's loss and its gradient with respect to the inputs.</summary>
/// <param name="Loss">The mean loss over the batch.</param>
/// <param name="Gradient">d(loss)/d(input), one value per input value, in the same layout as the inputs.</param>
public sealed record InputGradient(double Loss, float[] Gradient);
