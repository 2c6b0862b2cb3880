using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Search;
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
    /// Known-good starting points. Small data (under 1,000 rows) gets narrow, shallow nets with strong weight decay
    /// and more patience, because each epoch carries little signal; larger data gets wider nets with lighter weight
    /// decay. Batches grow with the data so that an epoch costs a bounded number of steps. Imbalanced classes (see
    /// <see cref="DataTraits.IsImbalanced"/>) train with focal loss, which balances the classes itself when the set
    /// carries no weights. On the samples the first entry is the best or close to it (digits: 0.98 holdout accuracy).
    /// </summary>
    public static IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        (int Layers, int Width, double Dropout, double Decay, double Rate)[] shapes = traits.IsSmall
            ? [(1, 64, 0.1, 5e-2, 3e-3), (1, 128, 0.2, 1e-1, 3e-3), (2, 64, 0.2, 1e-1, 1e-3)]
            : [(1, 256, 0.2, 1e-2, 3e-3), (2, 256, 0.3, 1e-2, 2e-3), (2, 128, 0.1, 1e-3, 1e-3)];
        var batch = traits.Rows < 5_000 ? 64 : traits.Rows < 100_000 ? 128 : 512;
        var epochs = traits.IsSmall ? 300 : traits.Rows >= 100_000 ? 40 : 150;
        var patience = traits.IsSmall ? 20 : traits.Rows >= 100_000 ? 10 : 15;
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

    /// <summary>
    /// What <see cref="Portfolio"/> chose for this data and why, read off the portfolio itself so the stated
    /// defaults cannot drift from the trained ones: the regularisation, the early stopping and, for imbalanced
    /// classes, the focal loss.
    /// </summary>
    public static IReadOnlyList<DefaultChoice> Defaults(DataTraits traits)
    {
        var portfolio = Portfolio(traits);
        var patience = portfolio[0].WholeNumber(Patience, 0);
        var epochs = portfolio[0].WholeNumber(Epochs, 0);
        var minimumRows = (int)Math.Ceiling(ValidationSlice.MinimumRows / ValidationSlice.Share);
        List<DefaultChoice> choices =
        [
            new("regularisation",
                $"weight_decay {Span(portfolio, WeightDecay)}, dropout {Span(portfolio, Dropout)}, {Span(portfolio, Layers)} hidden layers of {Span(portfolio, Width)} units",
                traits.IsSmall
                    ? $"{traits.Rows:N0} rows is small data (under {DataTraits.SmallDataRows:N0}): the networks are narrow and shallow, with strong weight decay and dropout, so they cannot simply memorise the rows"
                    : $"{traits.Rows:N0} rows are enough for wider networks with light weight decay"),
            new("early_stopping",
                $"patience {patience}, at most {epochs} epochs",
                $"each fit holds back {(ValidationSlice.Share * 100).ToString("0", CultureInfo.InvariantCulture)}% of its rows (when it has {minimumRows} or more) and keeps the weights with the lowest loss on them; training stops after {patience} epochs without improvement"),
        ];
        if (traits.IsImbalanced && portfolio.All(p => p.Choice(Loss, "") == "focal"))
        {
            choices.Add(new("loss", "focal",
                $"the rarest class is {(traits.MinorityShare * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of the rows: focal loss (gamma {Losses.FocalGamma}) turns training toward the rows the network still gets wrong, mostly the rare class, on top of the balanced class weights"));
        }

        return choices;
    }

    /// <summary>The portfolio's values of one hyperparameter, as "a" or "a-b".</summary>
    private static string Span(IReadOnlyList<Hyperparameters> portfolio, string name)
    {
        var values = portfolio.Select(p => p.Number(name, double.NaN)).ToList();
        var (low, high) = (values.Min().ToString("G3", CultureInfo.InvariantCulture), values.Max().ToString("G3", CultureInfo.InvariantCulture));
        return low == high ? low : $"{low}-{high}";
    }
}
