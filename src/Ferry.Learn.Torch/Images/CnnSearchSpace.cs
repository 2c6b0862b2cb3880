using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>The CNN's hyperparameter names, search ranges and portfolio.</summary>
internal static class CnnSearchSpace
{
    public const string ImageSize = "image_size";
    public const string Blocks = "blocks";
    public const string Channels = "channels";
    public const string Hidden = "hidden";
    public const string Dropout = "dropout";
    public const string WeightDecay = "weight_decay";
    public const string LearningRate = "learning_rate";
    public const string BatchSize = "batch_size";
    public const string Epochs = "epochs";
    public const string Patience = "patience";
    public const string Shift = "shift";
    public const string Flip = "flip";
    public const string Loss = "loss";

    /// <summary>Images larger than this (on their longer side) are resized down to it by default.</summary>
    public const int DefaultMaxSide = 64;

    /// <summary>What the search varies (the image size and augmentation stay as the portfolio sets them).</summary>
    public static IReadOnlyList<ParameterRange> Ranges { get; } =
    [
        new(Blocks, ParameterScale.Whole, 2, 3),
        // Multiples of 16 only: with other filter counts (17, 24, 29...), sampled fits in a search process went to NaN
        // in their first epoch in streaks, or learned nothing, while the same configurations fitted alone did not:
        // the signature of libtorch's CPU convolutions reading the padding of 16-wide blocked layouts.
        new(Channels, ParameterScale.Choice, Choices: ["16", "32", "48", "64"]),
        new(Hidden, ParameterScale.LogWhole, 64, 256),
        new(Dropout, ParameterScale.Linear, 0, 0.5),
        new(WeightDecay, ParameterScale.Log, 1e-5, 1e-1),
        new(LearningRate, ParameterScale.Log, 3e-4, 3e-3),
        new(BatchSize, ParameterScale.LogWhole, 16, 128),
        new(Loss, ParameterScale.Choice, Choices: ["ce", "focal"]),
    ];

    /// <summary>
    /// Known-good starting points. Augmentation is on by default: shifts of about a tenth of the side (at least one
    /// pixel). Horizontal flips only for colour images, which are mostly photos of things that look the same
    /// mirrored; gray images are often digits, letters or documents, where a mirror image is another symbol.
    /// Small datasets get more dropout and weight decay; imbalanced ones focal loss.
    /// </summary>
    public static IReadOnlyList<Hyperparameters> Portfolio(ImageTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var side = Math.Min(Math.Max(traits.Shape.Width, traits.Shape.Height), DefaultMaxSide);
        var shift = DefaultShift(side);
        var flip = traits.Shape.Channels == 3 ? "true" : "false";
        var loss = traits.IsImbalanced ? "focal" : "ce";
        (int Blocks, int Channels, double Dropout, double Decay)[] shapes = traits.IsSmall
            ? [(2, 32, 0.4, 1e-2), (3, 16, 0.4, 1e-2)]
            : [(2, 32, 0.25, 1e-4), (3, 32, 0.3, 1e-4)];
        return [.. shapes.Select(s => new Hyperparameters([])
            .With(Blocks, s.Blocks).With(Channels, s.Channels).With(Hidden, 128).With(Dropout, s.Dropout)
            .With(WeightDecay, s.Decay).With(LearningRate, 2e-3).With(BatchSize, 64)
            .With(Epochs, traits.IsSmall ? 120 : 60).With(Patience, traits.IsSmall ? 15 : 8)
            .With(Shift, shift).With(Flip, flip).With(Loss, loss))];
    }

    /// <summary>A shift of about a tenth of the image side, at least one pixel.</summary>
    public static int DefaultShift(int side) => Math.Max(1, (int)Math.Round(side * 0.1));
}
