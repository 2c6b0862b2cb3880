using Ferry.Data.Schema;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>The MLP's hyperparameter names, search ranges and portfolio.</summary>
internal static class MlpSearchSpace
{
    public const string Layers = "layers";
    public const string Width = "width";
    public const string Dropout = "dropout";
    public const string WeightDecay = "weight_decay";
    public const string LearningRate = "learning_rate";
    public const string BatchSize = "batch_size";
    public const string Epochs = "epochs";
    public const string Patience = "patience";
    public const string Loss = "loss";

    /// <summary>
    /// What the search varies. Epochs and patience are left out: early stopping already picks the epoch count,
    /// and the maximum only bounds the cost.
    /// </summary>
    public static IReadOnlyList<ParameterRange> Ranges { get; } =
    [
        new(Layers, ParameterScale.Whole, 1, 3),
        new(Width, ParameterScale.LogWhole, 16, 512),
        new(Dropout, ParameterScale.Linear, 0, 0.5),
        new(WeightDecay, ParameterScale.Log, 1e-5, 1e-1),
        new(LearningRate, ParameterScale.Log, 1e-4, 1e-2),
        new(BatchSize, ParameterScale.LogWhole, 16, 512),
        new(Loss, ParameterScale.Choice, Choices: ["ce", "focal"]),
    ];

    /// <summary>
    /// Known-good starting points. Small data (under 1,000 rows) gets narrow, shallow nets with strong weight decay,
    /// small batches (enough steps per epoch) and more patience, because each epoch carries little signal; larger
    /// data gets wider, deeper nets. Imbalanced classes (see <see cref="DataTraits.IsImbalanced"/>) train with focal loss, which
    /// balances the classes itself when the set carries no weights.
    /// </summary>
    public static IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        (int Layers, int Width, double Dropout, double Decay, double Rate)[] shapes = traits.IsSmall
            ? [(1, 64, 0.1, 5e-2, 3e-3), (2, 64, 0.2, 1e-1, 1e-3), (1, 256, 0.3, 1e-1, 1e-3)]
            : [(2, 128, 0.1, 1e-3, 1e-3), (3, 256, 0.2, 1e-3, 1e-3), (1, 512, 0.3, 1e-2, 3e-3)];
        var batch = traits.IsSmall ? 32 : traits.Rows >= 100_000 ? 512 : 128;
        var epochs = traits.IsSmall ? 300 : traits.Rows >= 100_000 ? 40 : 150;
        var patience = traits.IsSmall ? 30 : 10;
        var imbalanced = traits.IsImbalanced;
        return [.. shapes.Select(s =>
        {
            var configuration = new Hyperparameters([])
                .With(Layers, s.Layers).With(Width, s.Width).With(Dropout, s.Dropout)
                .With(WeightDecay, s.Decay).With(LearningRate, s.Rate)
                .With(BatchSize, batch).With(Epochs, epochs).With(Patience, patience);
            return traits.Task == TaskKind.Regression ? configuration : configuration.With(Loss, imbalanced ? "focal" : "ce");
        })];
    }
}
