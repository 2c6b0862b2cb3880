using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Learners;

/// <summary>
/// Small batches (served requests) go through pooled prediction engines, bigger ones through one Transform; both
/// give the very same outputs, also when many threads score at once.
/// </summary>
public sealed class RowScorerTests
{
    [Theory]
    [InlineData("lightgbm", "breast_cancer")]
    [InlineData("sdca", "breast_cancer")]
    [InlineData("lightgbm", "wine")]
    [InlineData("sdca", "penguins")]
    [InlineData("fastforest", "diabetes")]
    [InlineData("lbfgs", "diabetes")]
    public async Task Rows_scored_one_by_one_match_the_whole_batch_exactly(string name, string sample)
    {
        var learner = MlNetZoo.Find(name)!;
        var holdout = await LearnSamples.HoldoutAsync(sample, learner.NeedsScaling);
        using var model = await learner.FitAsync(holdout.Train, learner.Portfolio(holdout.Train.Traits())[0], seed: 1, CancellationToken.None);
        var test = holdout.Test.Features;
        Assert.True(test.Rows > RowScorer.MaxRows);

        var whole = model.Predict(test);
        var single = Enumerable.Range(0, test.Rows).AsParallel().WithDegreeOfParallelism(4)
            .Select(r => (Row: r, Output: model.Predict(test.SelectRows([r]))[0]))
            .OrderBy(p => p.Row)
            .Select(p => p.Output)
            .ToArray();
        var chunk = model.Predict(test.SelectRows([.. Enumerable.Range(0, RowScorer.MaxRows)]));

        Assert.Equal(whole, single);
        Assert.Equal(whole[..RowScorer.MaxRows], chunk);
    }
}
