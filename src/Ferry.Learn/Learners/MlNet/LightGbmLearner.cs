using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// LightGBM gradient-boosted trees (binary, multiclass with softmax, regression). Usually the strongest tabular
/// learner; small data gets fewer leaves, more rows per leaf relative to the data and stronger L2.
/// </summary>
public sealed class LightGbmLearner : MlNetLearner
{
    private const string LearningRate = "learning_rate";
    private const string Leaves = "num_leaves";
    private const string MinLeaf = "min_leaf";
    private const string Iterations = "iterations";
    private const string L2 = "l2";
    private const string FeatureFraction = "feature_fraction";
    private const string Subsample = "subsample";

    /// <inheritdoc />
    public override string Name => "lightgbm";

    /// <inheritdoc />
    public override bool NeedsScaling => false;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterRange> Space { get; } =
    [
        new(LearningRate, ParameterScale.Log, 0.01, 0.3),
        new(Leaves, ParameterScale.LogWhole, 4, 128) { Domain = new(2, 131072) },
        new(MinLeaf, ParameterScale.LogWhole, 2, 100),
        new(Iterations, ParameterScale.LogWhole, 20, 1000),
        new(L2, ParameterScale.Log, 1e-3, 10) { Domain = new(0, double.PositiveInfinity) },
        new(FeatureFraction, ParameterScale.Linear, 0.5, 1) { Domain = new(0, 1, MinExclusive: true) },
        new(Subsample, ParameterScale.Linear, 0.5, 1) { Domain = new(0, 1, MinExclusive: true) },
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var minLeaf = Config.MinLeaf(traits);

        // Small data: the first, heavily regularised stumps-like entry scored best across the samples' splits.
        return traits.IsSmall
            ?
            [
                Config.Of((LearningRate, 0.03), (Leaves, 4), (MinLeaf, Math.Clamp(traits.Rows / 15, 3, 20)), (Iterations, 300), (L2, 10), (FeatureFraction, 0.7), (Subsample, 0.7)),
                Config.Of((LearningRate, 0.05), (Leaves, 8), (MinLeaf, minLeaf), (Iterations, 200), (L2, 1), (FeatureFraction, 0.8), (Subsample, 0.8)),
                Config.Of((LearningRate, 0.03), (Leaves, 16), (MinLeaf, Math.Max(minLeaf, 10)), (Iterations, 300), (L2, 5), (FeatureFraction, 0.7)),
                Config.Of((LearningRate, 0.1), (Leaves, 4), (MinLeaf, minLeaf), (Iterations, 100), (L2, 1)),
            ]
            :
            [
                Config.Of((LearningRate, 0.05), (Leaves, 31), (MinLeaf, 20), (Iterations, 300), (L2, 1), (FeatureFraction, 0.8), (Subsample, 0.8)),
                Config.Of((LearningRate, 0.1), (Leaves, 63), (MinLeaf, 10), (Iterations, 200), (L2, 0.1)),
                Config.Of((LearningRate, 0.03), (Leaves, 15), (MinLeaf, 40), (Iterations, 500), (L2, 5), (FeatureFraction, 0.7), (Subsample, 0.8)),
            ];
    }

    /// <inheritdoc />
    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed)
    {
        var booster = new GradientBooster.Options
        {
            L2Regularization = hyperparameters.Number(L2, 1),
            FeatureFraction = hyperparameters.Number(FeatureFraction, 1),
            SubsampleFraction = hyperparameters.Number(Subsample, 1),
            SubsampleFrequency = hyperparameters.Number(Subsample, 1) < 1 ? 1 : 0,
        };
        var iterations = hyperparameters.WholeNumber(Iterations, 100);
        var rate = hyperparameters.Number(LearningRate, 0.1);
        var leaves = hyperparameters.WholeNumber(Leaves, 31);
        var minLeaf = hyperparameters.WholeNumber(MinLeaf, 20);
        var weight = WeightColumn(train);
        return train.Task switch
        {
            TaskKind.Binary => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = iterations, LearningRate = rate, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf,
                Booster = booster, Seed = seed, Deterministic = true, NumberOfThreads = 1, Verbose = false, Silent = true,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            TaskKind.Multiclass => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfIterations = iterations, LearningRate = rate, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf,
                Booster = booster, Seed = seed, Deterministic = true, NumberOfThreads = 1, Verbose = false, Silent = true, UseSoftmax = true,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
            _ => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = iterations, LearningRate = rate, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf,
                Booster = booster, Seed = seed, Deterministic = true, NumberOfThreads = 1, Verbose = false, Silent = true,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            }),
        };
    }
}
