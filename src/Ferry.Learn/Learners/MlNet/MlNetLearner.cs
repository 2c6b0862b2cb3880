using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// The shared part of the ML.NET zoo: fits a trainer on a <see cref="TrainingSet"/> through a zero-copy data view
/// with a context seeded per fit, maps cancellation and library failures, and loads saved models. Trainers run on
/// one thread each: the search gets its parallelism from running trials side by side.
/// </summary>
public abstract class MlNetLearner : ILearner
{
    /// <summary>The package flavor of every ML.NET learner.</summary>
    public const string FlavorName = "mlnet";

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public string Flavor => FlavorName;

    /// <inheritdoc />
    public abstract bool NeedsScaling { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<ParameterRange> Space { get; }

    /// <inheritdoc />
    public virtual bool Supports(TaskKind task) => true;

    /// <inheritdoc />
    public abstract IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits);

    /// <inheritdoc />
    public Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!Supports(train.Task))
        {
            throw FerryException.Invalid("LEARNER_TASK", $"learner '{Name}' cannot solve {train.Task.ToString().ToLowerInvariant()} tasks; leave it out for this data");
        }

        if (train.Features.Rows == 0)
        {
            throw FerryException.Invalid("TRAINING_EMPTY", $"learner '{Name}' got no training rows; check the split and the label");
        }

        CheckData(train);
        return Task.Run<IFittedModel>(() => Fit(train, hyperparameters, seed, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) => MlNetModel.LoadAsync(folder, cancellationToken);

    /// <summary>ML.NET's versions: what loads the model.</summary>
    public IReadOnlyDictionary<string, string> LibraryVersions() => MlNetContext.Libraries;

    /// <summary>The trainer (with a calibrator where its scores are not probabilities) for this data and configuration.</summary>
    internal abstract IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed);

    /// <summary>Refuses data the learner cannot fit, with a message that says what to do.</summary>
    internal virtual void CheckData(TrainingSet train)
    {
    }

    /// <summary>The weight column name when the set carries weights (class weights for imbalance).</summary>
    internal static string? WeightColumn(TrainingSet train) => train.Weights is null ? null : MatrixDataView.WeightColumn;

    private MlNetModel Fit(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken)
    {
        var ml = MlNetContext.Create(seed);
        using var registration = cancellationToken.Register(() => MlNetContext.Cancel(ml));
        try
        {
            var model = CreateTrainer(ml, train, hyperparameters, seed).Fit(MatrixDataView.ForTraining(train));
            return new MlNetModel(ml, model, train.Task, train.Classes.Count, train.Features.Columns);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"fitting {Name} was cancelled", cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException && !cancellationToken.IsCancellationRequested)
        {
            throw FerryException.Invalid("TRAINING_FAILED", $"learner '{Name}' could not fit with {hyperparameters}: {e.Message}", inner: e);
        }
    }
}
