using Ferry.Learn.Packaging;

namespace Ferry.Serving.Tests;

public sealed class ServingPackagesTests
{
    [Fact]
    public async Task The_fixture_package_loads_and_predicts_its_held_out_rows_better_than_chance()
    {
        var package = await ServingPackages.GetAsync("breast_cancer");
        using var predictor = await ModelFlavors.Builtin.LoadPredictorAsync(package.Path, CancellationToken.None);

        var predictions = await predictor.PredictAsync(package.TestRows, CancellationToken.None);

        var right = predictions.Labels!.Zip(package.Labels).Count(p => p.First == p.Second);
        Assert.True(right > 0.8 * package.Labels.Count, $"{right} of {package.Labels.Count} right");
    }
}
