using Ferry.Data.Schema;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>An MLP configuration read from <see cref="Hyperparameters"/> (names as in <see cref="MlpSearchSpace"/>), with defaults.</summary>
internal sealed record MlpSettings(int Layers, int Width, double Dropout, LossKind Loss, LoopSettings Loop)
{
    public static MlpSettings Read(Hyperparameters hyperparameters, TaskKind task)
    {
        var read = new HyperparameterReader(hyperparameters, "mlp");
        var loss = read.Choice(MlpSearchSpace.Loss, "ce", "ce", "focal");
        return new MlpSettings(
            read.Whole(MlpSearchSpace.Layers, 2, 0, 8),
            read.Whole(MlpSearchSpace.Width, 128, 1, 4096),
            read.Number(MlpSearchSpace.Dropout, 0.1, 0, 0.9),
            task == TaskKind.Regression ? LossKind.SquaredError : Losses.ParseClassification(loss),
            new LoopSettings(
                read.Whole(MlpSearchSpace.Epochs, 200, 1, 10_000),
                read.Whole(MlpSearchSpace.BatchSize, 64, 1, 1 << 16),
                read.Number(MlpSearchSpace.LearningRate, 1e-3, 1e-6, 1),
                read.Number(MlpSearchSpace.WeightDecay, 1e-4, 0, 10),
                read.Whole(MlpSearchSpace.Patience, 15, 1, 10_000)));
    }
}
