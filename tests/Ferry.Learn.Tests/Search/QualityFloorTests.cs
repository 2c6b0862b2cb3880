using System.Globalization;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Training;
using Xunit.Abstractions;

namespace Ferry.Learn.Tests.Search;

/// <summary>
/// Issue #4's quality floors: on each sample, the mean held-out score over 5 stratified outer folds of a short
/// search. A mean over folds, so that one lucky or unlucky split cannot decide. Run alone with
/// <c>--filter Category=Quality</c>; they take about 3 minutes on 2 cores.
/// </summary>
[Trait("Category", "Quality")]
[Collection(QualityFloorGroup.Name)]
public sealed class QualityFloorTests(ITestOutputHelper output)
{
    private const int Folds = 5;
    private const int OuterSeed = 20240;

    /// <summary>The learners searched: the CLI's zoo (a zoo with torch learners needs their flavor in <see cref="Flavors"/>).</summary>
    private static IReadOnlyList<ILearner> Zoo => MlNetZoo.All;

    private static ModelFlavors Flavors => ModelFlavors.Builtin;

    [Theory]
    [InlineData("breast_cancer", "label", MetricKind.RocAuc, 0.98, 6)]
    [InlineData("iris", "label", MetricKind.Accuracy, 0.93, 6)]
    [InlineData("wine", "label", MetricKind.Accuracy, 0.93, 6)]
    [InlineData("digits", "label", MetricKind.Accuracy, 0.95, 12)]
    [InlineData("diabetes", "target", MetricKind.R2, 0.40, 6)]
    public async Task A_short_search_meets_the_floor_as_the_mean_over_five_outer_folds(string sample, string label, MetricKind metric, double floor, int budgetSeconds)
    {
        var cv = new OuterCrossValidation(Zoo, Flavors, TimeSpan.FromSeconds(budgetSeconds));
        var name = MetricCatalog.NameOf(metric);

        var folds = await cv.RunAsync(Path.Combine(LearnSamples.Folder, sample + ".csv"), label, metric, Folds, OuterSeed, f => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sample} fold {f.Fold}: {name} {f.Held:0.0000} on {f.TestRows} held-out rows ({f.Learner}, validation {f.Validation:0.0000}, {f.Trials} trials, {f.Seconds:0.0} s on {f.TrainRows} rows)")));

        var mean = folds.Average(f => f.Held);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sample}: mean {name} {mean:0.0000} (floor {floor:0.00}) over {Folds} folds at {budgetSeconds} s"));
        Assert.Equal(Folds, folds.Count);
        Assert.True(mean >= floor, string.Create(CultureInfo.InvariantCulture, $"{sample}: mean {name} {mean:0.0000} is below the floor {floor:0.00}; folds {string.Join(", ", folds.Select(f => f.Held.ToString("0.0000", CultureInfo.InvariantCulture)))}"));
    }
}

/// <summary>The floors run alone, after the parallel tests: their budgets are short, and a search competing with other tests for 2 cores measures the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QualityFloorGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Quality floors";
}
