using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// Linear models trained by stochastic dual coordinate ascent: logistic regression (binary), maximum entropy
/// (multiclass) and least-squares linear regression. Fast on wide data; wants scaled features. Small data starts
/// from stronger L2.
/// </summary>
public sealed class SdcaLearner : MlNetLearner
{
    private const string L2 = "l2";
    private const string L1 = "l1";
    private const string Iterations = "max_iterations";

    /// <inheritdoc />
    public override string Name => "sdca";

    /// <inheritdoc />
    public override bool NeedsScaling => true;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterRange> Space { get; } =
    [
        new(L2, ParameterScale.Log, 1e-6, 1) { Domain = new(0, double.PositiveInfinity) },
        new(L1, ParameterScale.Log, 1e-6, 1) { Domain = new(0, double.PositiveInfinity) },
        new(Iterations, ParameterScale.LogWhole, 10, 200),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        return traits.IsSmall
            ? [Config.Of((L2, 0.01), (Iterations, 100)), Config.Of((L2, 0.1), (Iterations, 100)), Config.Of((L2, 0.001), (Iterations, 100))]
            : [Config.Of((L2, 1e-4), (Iterations, 50)), Config.Of((L2, 1e-3), (Iterations, 50)), Config.Of((L2, 1e-2), (L1, 1e-4), (Iterations, 50))];
    }

    /// <inheritdoc />
    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed)
    {
        float? l2 = hyperparameters.Values.ContainsKey(L2) ? (float)hyperparameters.Number(L2, 0) : null;
        float? l1 = hyperparameters.Values.ContainsKey(L1) ? (float)hyperparameters.Number(L1, 0) : null;
        int? iterations = hyperparameters.Values.ContainsKey(Iterations) ? hyperparameters.WholeNumber(Iterations, 0) : null;
        var weight = WeightColumn(train);
        return train.Task switch
        {
            TaskKind.Binary => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            TaskKind.Multiclass => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            _ => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                L2Regularization = l2, L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
        };
    }
}
