using Ferry.Data.Schema;
using Ferry.Learn.Search;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>
/// The zoo's neural network for tables (<c>mlp</c>, flavor <c>torch</c>): a ReLU MLP trained with AdamW on scaled
/// features, early-stopped on a held-back slice. Classification uses cross-entropy or focal loss (hyperparameter
/// <c>loss</c>), weighted by the set's row weights (focal loss balances classes itself when there are none);
/// regression uses squared error on a standardised target.
/// A fit is repeatable from its seed: weights, dropout masks, shuffling and the held-back slice all draw from it.
/// </summary>
/// <param name="options">Threads per fit; defaults to <see cref="TorchOptions.Default"/>.</param>
public sealed class MlpLearner(TorchOptions? options = null) : ILearner
{
    private readonly TorchOptions _options = options ?? TorchOptions.Default;

    /// <inheritdoc />
    public string Name => "mlp";

    /// <inheritdoc />
    public string Flavor => TorchFlavor.FlavorName;

    /// <inheritdoc />
    public bool NeedsScaling => true;

    /// <inheritdoc />
    public IReadOnlyList<ParameterRange> Space => MlpSearchSpace.Ranges;

    /// <inheritdoc />
    public bool Supports(TaskKind task) => true;

    /// <inheritdoc />
    public IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits) => MlpSearchSpace.Portfolio(traits);

    /// <inheritdoc />
    public async Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken) =>
        await FitMlpAsync(train, hyperparameters, seed, cancellationToken);

    /// <summary>Fits a model, typed as an <see cref="MlpModel"/> (for its report and input gradients).</summary>
    /// <exception cref="FerryException">HYPERPARAMETER_INVALID, TRAINING_EMPTY, FEATURES_NOT_FINITE, LABEL_ONE_CLASS,
    /// LABEL_INVALID, WEIGHT_INVALID, TRAINING_DIVERGED or TORCH_UNAVAILABLE, each saying what to change.</exception>
    public async Task<MlpModel> FitMlpAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        TrainingChecks.Check(train, Name);
        var settings = MlpSettings.Read(hyperparameters, train.Task);

        // Training is CPU-bound and synchronous in libtorch; a pool thread keeps the caller (a live table, a server) responsive.
        return await Task.Run(() => Fit(train, settings, seed, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) =>
        await MlpModel.LoadAsync(folder, cancellationToken);

    /// <summary>TorchSharp's and libtorch's versions: what loads the model.</summary>
    public IReadOnlyDictionary<string, string> LibraryVersions() => TorchFlavor.LibraryVersions();

    /// <summary>The portfolio's regularisation, early stopping and (for imbalanced classes) focal loss, with the reasons.</summary>
    public IReadOnlyList<DefaultChoice> PortfolioDefaults(DataTraits traits) => MlpSearchSpace.Defaults(traits);

    private MlpModel Fit(TrainingSet train, MlpSettings settings, int seed, CancellationToken cancellationToken)
    {
        TorchRuntime.Prepare(_options);
        var random = new Random(seed);
        using var generator = new Generator(unchecked((ulong)seed));
        var regression = train.Task == TaskKind.Regression;
        var (trainRows, validationRows) = ValidationSlice.Split(train.Labels, !regression, random);
        var (mean, scale) = regression ? Standardisation(train.Labels, trainRows) : (0.0, 1.0);
        var architecture = new MlpArchitecture(
            MlpArchitecture.CurrentFormat, train.Task, train.Features.Columns, [.. Enumerable.Repeat(settings.Width, settings.Layers)],
            regression ? 1 : train.Classes.Count, settings.Dropout, mean, scale);
        var network = new MlpNetwork(architecture);
        try
        {
            SeededInit.Apply(network, generator);
            network.DropoutGenerator = generator;
            var runner = new NetworkRunner(network, [architecture.Inputs], train.Task, architecture.Outputs, mean, scale);
            using var data = new RowTensors(train.Features.Values, [architecture.Inputs], runner.Targets(train.Labels), Losses.RowWeights(settings.Loss, train.Labels, train.Weights, train.Classes.Count), trainRows, validationRows);
            var report = TrainingLoop.Run(
                network,
                trainRows.Length,
                index => Losses.Compute(settings.Loss, network.forward(data.TrainInputs(index)), data.TrainTargets(index), data.TrainWeights(index)),
                validationRows.Length == 0 ? null : () => data.ValidationLoss(x => network.forward(x), settings.Loss),
                settings.Loop,
                validationRows.Length,
                random,
                cancellationToken);
            network.DropoutGenerator = null;
            return new MlpModel(network, architecture, report);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static (double Mean, double Scale) Standardisation(float[] labels, int[] rows)
    {
        var mean = rows.Average(r => (double)labels[r]);
        var variance = rows.Average(r => Math.Pow(labels[r] - mean, 2));
        return (mean, variance > 1e-24 ? Math.Sqrt(variance) : 1.0);
    }
}
