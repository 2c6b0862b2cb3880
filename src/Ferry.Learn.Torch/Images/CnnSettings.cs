using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>A CNN configuration read from <see cref="Hyperparameters"/> (names as in <see cref="CnnSearchSpace"/>), with defaults.</summary>
internal sealed record CnnSettings(
    int Width, int Height, int Blocks, int Channels, int Hidden, double Dropout, int Shift, bool Flip, LossKind Loss, LoopSettings Loop)
{
    /// <summary>Reads the settings; the input size defaults to the dataset's common shape, shrunk to at most 64 on its longer side.</summary>
    public static CnnSettings Read(Hyperparameters hyperparameters, ImageTraits traits)
    {
        var read = new HyperparameterReader(hyperparameters, "cnn");
        var (width, height) = (traits.Shape.Width, traits.Shape.Height);
        var longer = Math.Max(width, height);
        if (hyperparameters.Values.ContainsKey(CnnSearchSpace.ImageSize) || longer > CnnSearchSpace.DefaultMaxSide)
        {
            var side = read.Whole(CnnSearchSpace.ImageSize, CnnSearchSpace.DefaultMaxSide, 4, 512);
            (width, height) = hyperparameters.Values.ContainsKey(CnnSearchSpace.ImageSize)
                ? (side, side)
                : (Math.Max(1, width * side / longer), Math.Max(1, height * side / longer));
        }

        return new CnnSettings(
            width,
            height,
            read.Whole(CnnSearchSpace.Blocks, 2, 1, 4),
            read.Whole(CnnSearchSpace.Channels, 32, 4, 256),
            read.Whole(CnnSearchSpace.Hidden, 128, 8, 2048),
            read.Number(CnnSearchSpace.Dropout, 0.25, 0, 0.9),
            read.Whole(CnnSearchSpace.Shift, CnnSearchSpace.DefaultShift(Math.Max(width, height)), 0, 64),
            read.Flag(CnnSearchSpace.Flip, false),
            Losses.ParseClassification(read.Choice(CnnSearchSpace.Loss, "ce", "ce", "focal")),
            new LoopSettings(
                read.Whole(CnnSearchSpace.Epochs, 60, 1, 10_000),
                read.Whole(CnnSearchSpace.BatchSize, 64, 1, 4096),
                read.Number(CnnSearchSpace.LearningRate, 2e-3, 1e-6, 1),
                read.Number(CnnSearchSpace.WeightDecay, 1e-4, 0, 10),
                read.Whole(CnnSearchSpace.Patience, 8, 1, 10_000)));
    }
}
