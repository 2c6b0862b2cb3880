using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// Linear models trained by L-BFGS with L1 and L2 penalties: logistic regression (binary), maximum entropy
/// (multiclass) and Poisson regression, which only fits non-negative targets (counts, amounts). Wants scaled features.
/// </summary>
public sealed class LbfgsLearner : MlNetLearner
{
    private const string L2 = "l2";
    private const string L1 = "l1";
    private const string Tolerance = "tolerance";

    /// <inheritdoc />
    public override string Name => "lbfgs";

    /// <inheritdoc />
    public override bool NeedsScaling => true;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterRange> Space { get; } =
    [
        new(L2, ParameterScale.Log, 1e-4, 10) { Domain = new(0, double.PositiveInfinity) },
        new(L1, ParameterScale.Log, 1e-4, 10) { Domain = new(0, double.PositiveInfinity) },
        new(Tolerance, ParameterScale.Log, 1e-8, 1e-4),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        if (traits.Task == TaskKind.Regression && traits.LabelMinimum < 0)
        {
            return [];
        }

        return traits.IsSmall
            ? [Config.Of((L2, 1), (L1, 0.1)), Config.Of((L2, 10), (L1, 1)), Config.Of((L2, 0.1), (L1, 0.01))]
            : [Config.Of((L2, 1), (L1, 1)), Config.Of((L2, 0.1), (L1, 0.1)), Config.Of((L2, 0.01), (L1, 0.01))];
    }

    /// <inheritdoc />
    internal override void CheckData(TrainingSet train)
    {
        if (train.Task == TaskKind.Regression && train.Labels.Any(l => l < 0))
        {
            throw FerryException.Invalid(
                "LEARNER_DATA",
                $"learner '{Name}' fits Poisson regression, which needs non-negative targets, but the target goes down to {train.Labels.Min()}; leave {Name} out for this data");
        }
    }

    /// <inheritdoc />
    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed)
    {
        var l2 = (float)hyperparameters.Number(L2, 1);
        var l1 = (float)hyperparameters.Number(L1, 1);
        var tolerance = (float)hyperparameters.Number(Tolerance, 1e-7);
        var weight = WeightColumn(train);
        return train.Task switch
        {
            TaskKind.Binary => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, OptimizationTolerance = tolerance, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            TaskKind.Multiclass => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, OptimizationTolerance = tolerance, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            _ => ml.Regression.Trainers.LbfgsPoissonRegression(new LbfgsPoissonRegressionTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, OptimizationTolerance = tolerance, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
        };
    }
}
