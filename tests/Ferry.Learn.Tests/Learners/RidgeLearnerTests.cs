using System.Globalization;
using Ferry.Learn.Learners.Linear;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Learners;

public sealed class RidgeLearnerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-ridge-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static Hyperparameters Alpha(double alpha) =>
        new([KeyValuePair.Create("alpha", alpha.ToString("R", CultureInfo.InvariantCulture))]);

    private static async Task<RidgeModel> FitAsync(TrainingSet train, double alpha) =>
        Assert.IsType<RidgeModel>(await new RidgeLearner().FitAsync(train, Alpha(alpha), seed: 1, CancellationToken.None));

    private static double[] Residuals(RidgeModel model, TrainingSet train)
    {
        var residuals = new double[train.Features.Rows];
        for (var i = 0; i < residuals.Length; i++)
        {
            var row = train.Features.Row(i);
            var prediction = model.Intercept;
            for (var j = 0; j < row.Length; j++)
            {
                prediction += model.Coefficients[j] * row[j];
            }

            residuals[i] = train.Labels[i] - prediction;
        }

        return residuals;
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1)]
    [InlineData(100)]
    public async Task The_fit_is_the_exact_minimum_of_squared_error_plus_alpha_times_the_squared_coefficients(double alpha)
    {
        var train = (await LearnSamples.HoldoutAsync("diabetes", scale: true)).Train;

        var model = await FitAsync(train, alpha);

        // At the minimum the gradient vanishes: residuals sum to zero (free intercept) and Xᵀr = α β per feature.
        var residuals = Residuals(model, train);
        var labelScale = train.Labels.Select(l => Math.Abs((double)l)).Max() * train.Features.Rows;
        Assert.True(Math.Abs(residuals.Sum()) < 1e-9 * labelScale, $"residuals sum to {residuals.Sum()}");
        for (var j = 0; j < train.Features.Columns; j++)
        {
            var gradient = Enumerable.Range(0, residuals.Length).Sum(i => train.Features.Row(i)[j] * residuals[i]) - alpha * model.Coefficients[j];
            Assert.True(Math.Abs(gradient) < 1e-9 * labelScale, $"feature {train.Features.Names[j]}: gradient {gradient}");
        }
    }

    [Fact]
    public async Task A_larger_alpha_shrinks_the_coefficients()
    {
        var train = (await LearnSamples.HoldoutAsync("diabetes", scale: true)).Train;

        var norms = new List<double>();
        foreach (var alpha in new[] { 0.1, 10, 1000 })
        {
            norms.Add((await FitAsync(train, alpha)).Coefficients.Sum(c => c * c));
        }

        Assert.True(norms[0] > norms[1] && norms[1] > norms[2], string.Join(", ", norms));
    }

    [Fact]
    public async Task A_row_weight_of_two_fits_as_the_row_given_twice()
    {
        var train = (await LearnSamples.HoldoutAsync("diabetes", scale: true)).Train;
        var weights = Enumerable.Range(0, train.Labels.Length).Select(i => i < 40 ? 2f : 1f).ToArray();
        var repeated = train.SelectRows([.. Enumerable.Range(0, train.Labels.Length), .. Enumerable.Range(0, 40)]);

        var weighted = await FitAsync(train with { Weights = weights }, 3);
        var twice = await FitAsync(repeated, 3);

        Assert.Equal(twice.Intercept, weighted.Intercept, 1e-8);
        Assert.All(weighted.Coefficients.Zip(twice.Coefficients), pair => Assert.Equal(pair.Second, pair.First, 1e-8));
    }

    [Fact]
    public async Task A_saved_model_loads_with_exactly_the_same_coefficients_and_predictions()
    {
        var holdout = await LearnSamples.HoldoutAsync("diabetes", scale: true);
        using var model = await FitAsync(holdout.Train, 10);

        await model.SaveAsync(_folder.FullName, CancellationToken.None);
        using var loaded = await new RidgeLearner().LoadAsync(_folder.FullName, CancellationToken.None);

        Assert.Equal(model.Coefficients, Assert.IsType<RidgeModel>(loaded).Coefficients);
        Assert.Equal(model.Predict(holdout.Test.Features), loaded.Predict(holdout.Test.Features));
    }

    [Theory]
    [InlineData("{\"format\": 2, \"coefficients\": [1], \"intercept\": 0}", "format 2")]
    [InlineData("{\"format\": 1, \"coefficients\": [1, \"NaN\"], \"intercept\": 0}", "not finite")]
    [InlineData("{\"format\": 1, \"intercept\": 0}", "no coefficients")]
    [InlineData("{\"format\": 1, \"coefficients\": [1], ", "not valid JSON")]
    public async Task A_broken_model_file_is_refused_with_what_is_wrong(string json, string problem)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, RidgeModel.FileName), json);

        var error = await Assert.ThrowsAsync<FerryException>(() => new RidgeLearner().LoadAsync(_folder.FullName, CancellationToken.None));

        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(RidgeModel.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classification_a_bad_alpha_and_a_missing_target_are_refused_before_fitting()
    {
        var learner = new RidgeLearner();
        var iris = (await LearnSamples.HoldoutAsync("iris", scale: true)).Train;
        var diabetes = (await LearnSamples.HoldoutAsync("diabetes", scale: true)).Train;
        var labels = (float[])diabetes.Labels.Clone();
        labels[4] = float.NaN;

        Assert.False(learner.Supports(iris.Task));
        Assert.Empty(learner.Portfolio(iris.Traits()));
        Assert.Equal("LEARNER_TASK", (await Assert.ThrowsAsync<FerryException>(() => learner.FitAsync(iris, Alpha(1), 1, CancellationToken.None))).Code);
        foreach (var alpha in new[] { 0.0, -1 })
        {
            var error = await Assert.ThrowsAsync<FerryException>(() => learner.FitAsync(diabetes, Alpha(alpha), 1, CancellationToken.None));
            Assert.Equal("HYPERPARAMETER_INVALID", error.Code);
        }

        var missing = await Assert.ThrowsAsync<FerryException>(() => learner.FitAsync(diabetes with { Labels = labels }, Alpha(1), 1, CancellationToken.None));
        Assert.Equal("LABEL_INVALID", missing.Code);
        Assert.Contains("row 5", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_too_wide_to_solve_exactly_gets_no_portfolio_and_a_fit_is_refused()
    {
        var learner = new RidgeLearner();
        var columns = (int)Math.Sqrt(RidgeLearner.MaxWork / 10) + 1;
        var wide = new TrainingSet(new FeatureMatrix(new float[10 * columns], [.. Enumerable.Range(0, columns).Select(i => $"f{i}")]), new float[10], null, Ferry.Data.Schema.TaskKind.Regression, []);

        Assert.Empty(learner.Portfolio(wide.Traits()));
        var error = await Assert.ThrowsAsync<FerryException>(() => learner.FitAsync(wide, Alpha(1), 1, CancellationToken.None));
        Assert.Equal("LEARNER_DATA", error.Code);
    }
}
