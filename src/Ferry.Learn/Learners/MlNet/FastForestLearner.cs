using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// ML.NET's FastForest (a random forest of bagged trees). Its binary scores are not probabilities, so a Platt
/// calibrator is fitted after it; multiclass is one-vs-all with Platt-calibrated, normalised probabilities.
/// </summary>
public sealed class FastForestLearner : MlNetLearner
{
    private const string Leaves = "num_leaves";
    private const string MinLeaf = "min_leaf";
    private const string Trees = "trees";
    private const string FeatureFraction = "feature_fraction";

    /// <inheritdoc />
    public override string Name => "fastforest";

    /// <inheritdoc />
    public override bool NeedsScaling => false;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterRange> Space { get; } =
    [
        new(Leaves, ParameterScale.LogWhole, 4, 256) { Domain = new(2, double.PositiveInfinity) },
        new(MinLeaf, ParameterScale.LogWhole, 1, 50),
        new(Trees, ParameterScale.LogWhole, 20, 500),
        new(FeatureFraction, ParameterScale.Linear, 0.3, 1) { Domain = new(0, 1, MinExclusive: true) },
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var minLeaf = Math.Max(2, Config.MinLeaf(traits) / 2);
        return traits.IsSmall
            ?
            [
                Config.Of((Leaves, 16), (MinLeaf, minLeaf), (Trees, 100), (FeatureFraction, 0.7)),
                Config.Of((Leaves, 32), (MinLeaf, Math.Max(2, minLeaf / 2)), (Trees, 200), (FeatureFraction, 0.5)),
            ]
            :
            [
                Config.Of((Leaves, 64), (MinLeaf, 5), (Trees, 200), (FeatureFraction, 0.7)),
                Config.Of((Leaves, 128), (MinLeaf, 2), (Trees, 300), (FeatureFraction, 0.5)),
            ];
    }

    /// <inheritdoc />
    internal override IEstimator<ITransformer> CreateTrainer(MLContext ml, TrainingSet train, Hyperparameters hyperparameters, int seed)
    {
        var leaves = hyperparameters.WholeNumber(Leaves, 20);
        var minLeaf = hyperparameters.WholeNumber(MinLeaf, 10);
        var trees = hyperparameters.WholeNumber(Trees, 100);
        var fraction = hyperparameters.Number(FeatureFraction, 0.7);
        var weight = WeightColumn(train);
        if (train.Task == TaskKind.Regression)
        {
            return ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, NumberOfTrees = trees, FeatureFraction = fraction,
                Seed = seed, FeatureSelectionSeed = seed, NumberOfThreads = 1,
                LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
            });
        }

        var binary = ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, NumberOfTrees = trees, FeatureFraction = fraction,
            Seed = seed, FeatureSelectionSeed = seed, NumberOfThreads = 1,
            LabelColumnName = MatrixDataView.LabelColumn, FeatureColumnName = MatrixDataView.FeaturesColumn, ExampleWeightColumnName = weight,
        });
        // The calibrator sees the same row weights as the forest; otherwise it would undo class weighting.
        var platt = ml.BinaryClassification.Calibrators.Platt(MatrixDataView.LabelColumn, exampleWeightColumnName: weight);
        return train.Task == TaskKind.Binary
            ? binary.Append(platt)
            : ml.MulticlassClassification.Trainers.OneVersusAll(binary, MatrixDataView.LabelColumn, calibrator: platt, useProbabilities: true);
    }
}
