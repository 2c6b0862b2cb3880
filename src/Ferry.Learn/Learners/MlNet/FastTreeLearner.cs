using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// ML.NET's FastTree (MART gradient boosting). Binary and regression natively; multiclass as one-vs-all with
/// normalised probabilities. Binary probabilities come from the logistic loss's own Platt calibration.
/// </summary>
public sealed class FastTreeLearner : MlNetLearner
{
    private const string LearningRate = "learning_rate";
    private const string Leaves = "num_leaves";
    private const string MinLeaf = "min_leaf";
    private const string Trees = "trees";
    private const string FeatureFraction = "feature_fraction";

    /// <inheritdoc />
    public override string Name => "fasttree";

    /// <inheritdoc />
    public override bool NeedsScaling => false;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterRange> Space { get; } =
    [
        new(LearningRate, ParameterScale.Log, 0.01, 0.4),
        new(Leaves, ParameterScale.LogWhole, 4, 128) { Domain = new(2, double.PositiveInfinity) },
        new(MinLeaf, ParameterScale.LogWhole, 2, 100),
        new(Trees, ParameterScale.LogWhole, 20, 1000),
        new(FeatureFraction, ParameterScale.Linear, 0.5, 1) { Domain = new(0, 1, MinExclusive: true) },
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var minLeaf = Config.MinLeaf(traits);
        return traits.IsSmall
            ?
            [
                Config.Of((LearningRate, 0.1), (Leaves, 8), (MinLeaf, minLeaf), (Trees, 100), (FeatureFraction, 0.8)),
                Config.Of((LearningRate, 0.05), (Leaves, 4), (MinLeaf, Math.Max(minLeaf, 10)), (Trees, 200)),
            ]
            :
            [
                Config.Of((LearningRate, 0.1), (Leaves, 31), (MinLeaf, 20), (Trees, 200), (FeatureFraction, 0.8)),
                Config.Of((LearningRate, 0.05), (Leaves, 63), (MinLeaf, 10), (Trees, 400), (FeatureFraction, 0.7)),
            ];
    }

    /// <inheritdoc />
    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed)
    {
        var rate = hyperparameters.Number(LearningRate, 0.2);
        var leaves = hyperparameters.WholeNumber(Leaves, 20);
        var minLeaf = hyperparameters.WholeNumber(MinLeaf, 10);
        var trees = hyperparameters.WholeNumber(Trees, 100);
        var fraction = hyperparameters.Number(FeatureFraction, 1);
        var weight = WeightColumn(train);
        if (train.Task == TaskKind.Regression)
        {
            return ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LearningRate = rate, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, NumberOfTrees = trees,
                FeatureFraction = fraction, Seed = seed, FeatureSelectionSeed = seed, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            });
        }

        var binary = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LearningRate = rate, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, NumberOfTrees = trees,
            FeatureFraction = fraction, Seed = seed, FeatureSelectionSeed = seed, NumberOfThreads = 1,
            LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
        });
        return train.Task == TaskKind.Binary
            ? binary
            : ml.MulticlassClassification.Trainers.OneVersusAll(binary, MatrixDataView.LabelColumn, useProbabilities: true);
    }
}
