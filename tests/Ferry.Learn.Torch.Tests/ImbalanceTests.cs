using Ferry.Data.Schema;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;
using Xunit.Abstractions;

namespace Ferry.Learn.Torch.Tests;

/// <summary>On imbalanced classes, the imbalance defaults (focal loss, class weights) find more of the minority class.</summary>
public sealed class ImbalanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Two overlapping Gaussian classes, 5% minority: an unweighted model maximises accuracy by rarely predicting
    /// the minority, which is exactly the failure the defaults are there to prevent.
    /// </summary>
    private static TrainingSet Overlapping(int rows, int seed, bool balancedWeights)
    {
        var random = new Random(seed);
        var values = new float[rows * 2];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var minority = random.NextDouble() < 0.05;
            labels[r] = minority ? 1 : 0;
            for (var f = 0; f < 2; f++)
            {
                values[(r * 2) + f] = (float)(Gaussian(random) + (minority ? 1.6 : 0));
            }
        }

        var share = labels.Average();
        float[]? weights = balancedWeights ? [.. labels.Select(l => (float)(l == 1 ? 0.5 / share : 0.5 / (1 - share)))] : null;
        return new TrainingSet(new FeatureMatrix(values, ["x", "y"]), labels, weights, TaskKind.Binary, ["common", "rare"]);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public async Task Focal_loss_and_class_weights_each_find_more_of_the_minority_than_plain_cross_entropy()
    {
        var learner = new MlpLearner();
        var test = Overlapping(4000, seed: 2, balancedWeights: false);
        var configuration = learner.Portfolio(new DataTraits(TaskKind.Binary, 1500, 2, 2, 0.05))[0].With("epochs", 60);
        Assert.Equal("focal", configuration.Choice("loss", ""));

        async Task<double> RecallAsync(bool weighted, string loss)
        {
            using var model = await learner.FitAsync(Overlapping(1500, seed: 1, weighted), configuration.With("loss", loss), seed: 1, CancellationToken.None);
            var recall = TorchTestMetrics.Recall(model.Predict(test.Features), test.Labels, cls: 1);
            output.WriteLine($"weighted={weighted} loss={loss}: minority recall {recall:F3}");
            return recall;
        }

        var plain = await RecallAsync(weighted: false, "ce");
        var focal = await RecallAsync(weighted: false, "focal");
        var weighted = await RecallAsync(weighted: true, "ce");
        var both = await RecallAsync(weighted: true, "focal");

        // Focal loss balances the classes itself when the set has no weights, so the portfolio's choice alone helps.
        Assert.True(focal >= plain + 0.3, $"focal {focal:F3} vs plain {plain:F3}");
        Assert.True(weighted >= plain + 0.3, $"weights {weighted:F3} vs plain {plain:F3}");
        Assert.True(both >= plain + 0.3, $"focal + weights {both:F3} vs plain {plain:F3}");
    }
}
