using Ferry.Data.Schema;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Tests;

/// <summary>The input gradients the robustness checks use match central finite differences of the same loss.</summary>
[Collection(DigitsCnnGroup.Name)]
public sealed class InputGradientTests(DigitsCnnFixture digits)
{
    private const float Step = 1e-3f;

    /// <summary>Along a direction that moves every input, a smaller step keeps the ReLU kinks out of the window.</summary>
    private const float DirectionStep = 1e-4f;

    /// <summary>
    /// Compares the gradient with central differences (L(x + h d) - L(x - h d)) / 2h: along single coordinates (the
    /// largest gradients and a seeded sample) and along random ±1 directions, which sum many coordinates and so
    /// stand well above float32 rounding.
    /// </summary>
    private static void MatchesFiniteDifferences(IInputGradients model, float[] inputs, float[] labels, int coordinates, int seed)
    {
        var gradient = model.LossGradient(inputs, labels).Gradient;
        Assert.Equal(inputs.Length, gradient.Length);
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-3);

        double Along(float[] direction, float step) =>
            (model.LossGradient([.. inputs.Select((v, i) => v + (step * direction[i]))], labels).Loss
            - model.LossGradient([.. inputs.Select((v, i) => v - (step * direction[i]))], labels).Loss) / (2 * step);

        var random = new Random(seed);
        var largest = Enumerable.Range(0, inputs.Length).OrderByDescending(j => Math.Abs(gradient[j])).Take(coordinates / 2);
        foreach (var j in largest.Concat(Enumerable.Range(0, coordinates / 2).Select(_ => random.Next(inputs.Length))))
        {
            var unit = new float[inputs.Length];
            unit[j] = 1;
            var estimate = Along(unit, Step);
            Assert.True(
                Math.Abs(estimate - gradient[j]) <= 2e-3 + (0.05 * Math.Abs(estimate)),
                $"coordinate {j}: gradient {gradient[j]:G6}, finite difference {estimate:G6}");
        }

        for (var k = 0; k < 5; k++)
        {
            float[] direction = [.. inputs.Select(_ => random.Next(2) == 0 ? -1f : 1f)];
            var estimate = Along(direction, DirectionStep);
            var exact = gradient.Select((g, i) => (double)g * direction[i]).Sum();
            Assert.True(Math.Abs(estimate - exact) <= 1e-3 + (0.02 * Math.Abs(estimate)), $"direction {k}: gradient {exact:G6}, finite difference {estimate:G6}");
        }
    }

    /// <summary>Mean cross-entropy computed from the predicted probabilities, independently of LossGradient.</summary>
    private static double CrossEntropy(float[][] probabilities, float[] labels) =>
        probabilities.Select((p, i) => -Math.Log(p[(int)labels[i]])).Average();

    [Fact]
    public async Task The_mlp_input_gradient_matches_finite_differences()
    {
        var all = await TorchTestData.TrainingSetAsync("breast_cancer.csv", "label", TaskKind.Binary);
        var learner = new MlpLearner();
        var configuration = learner.Portfolio(new DataTraits(TaskKind.Binary, all.Features.Rows, 30, 2, 0.37))[0].With("epochs", 5);
        using var model = await learner.FitMlpAsync(all, configuration, seed: 1, CancellationToken.None);
        var rows = all.SelectRows([0, 50, 100, 150, 200, 250]);

        MatchesFiniteDifferences(model, rows.Features.Values, rows.Labels, coordinates: 40, seed: 1);
        Assert.Equal(CrossEntropy(model.PredictInputs(rows.Features.Values), rows.Labels), model.LossGradient(rows.Features.Values, rows.Labels).Loss, 4);
        Assert.Equal(model.Predict(rows.Features), model.PredictInputs(rows.Features.Values));
    }

    [Fact]
    public async Task The_regression_mlp_gradient_is_of_the_squared_error_on_the_standardised_target()
    {
        var all = await TorchTestData.TrainingSetAsync("diabetes.csv", "target", TaskKind.Regression);
        var learner = new MlpLearner();
        using var model = await learner.FitMlpAsync(all, Hyperparameters.Empty.With("epochs", 5), seed: 1, CancellationToken.None);
        var rows = all.SelectRows([1, 2, 3, 4]);
        MatchesFiniteDifferences(model, rows.Features.Values, rows.Labels, coordinates: 20, seed: 2);

        var std = Math.Sqrt(all.Labels.Average(l => Math.Pow(l - all.Labels.Average(), 2)));
        var predictions = model.PredictInputs(rows.Features.Values);
        var expected = predictions.Select((p, i) => Math.Pow((p[0] - rows.Labels[i]) / std, 2)).Average();
        Assert.Equal(expected, model.LossGradient(rows.Features.Values, rows.Labels).Loss, 1);
    }

    [Fact]
    public void The_cnn_input_gradient_is_in_pixel_units_and_matches_finite_differences()
    {
        var images = digits.Test.Items.Take(3).ToArray();
        var inputs = digits.Model.ToInputs(images);
        var labels = images.Select(i => (float)digits.Model.Classes.ToList().IndexOf(i.Label)).ToArray();
        Assert.Equal(3 * 64, inputs.Length);
        Assert.All(inputs, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(images[0].Pixels[9] / 255f, inputs[9]);

        // Against the next class's label the loss is large, so float32 rounding of a near-zero loss cannot hide errors.
        // The digits' flat backgrounds tie inside max-pool windows, where the loss has a kink at the very point;
        // a little noise breaks the ties (values just outside [0, 1] are fine for a derivative).
        float[] wrong = [.. labels.Select(l => (l + 1) % digits.Model.Classes.Count)];
        var random = new Random(5);
        float[] jittered = [.. inputs.Select(v => v + (float)((random.NextDouble() - 0.5) * 0.1))];
        MatchesFiniteDifferences(digits.Model, jittered, wrong, coordinates: 40, seed: 3);
        Assert.Equal(CrossEntropy(digits.Model.PredictInputs(inputs), labels), digits.Model.LossGradient(inputs, labels).Loss, 4);
        Assert.Equal(CrossEntropy(digits.Model.PredictInputs(inputs), wrong), digits.Model.LossGradient(inputs, wrong).Loss, 3);
    }

    [Fact]
    public void A_step_along_the_gradient_sign_raises_the_loss_as_fgsm_expects()
    {
        var images = digits.Test.Items.Take(50).ToArray();
        var inputs = digits.Model.ToInputs(images);
        var labels = images.Select(i => (float)digits.Model.Classes.ToList().IndexOf(i.Label)).ToArray();
        var clean = digits.Model.LossGradient(inputs, labels);
        var attacked = inputs.Select((v, i) => Math.Clamp(v + (0.1f * MathF.Sign(clean.Gradient[i])), 0f, 1f)).ToArray();
        var random = new Random(4);
        var noisy = inputs.Select(v => Math.Clamp(v + (random.Next(2) == 0 ? -0.1f : 0.1f), 0f, 1f)).ToArray();

        Assert.True(digits.Model.LossGradient(attacked, labels).Loss > 2 * digits.Model.LossGradient(noisy, labels).Loss);
    }

    [Fact]
    public void Labels_that_are_not_class_indices_are_refused()
    {
        var inputs = digits.Model.ToInputs(digits.Test.Items.Take(2).ToArray());
        Assert.Throws<ArgumentException>(() => digits.Model.LossGradient(inputs, [0, 10]));
        Assert.Throws<ArgumentException>(() => digits.Model.LossGradient(inputs, [0]));
        Assert.Throws<ArgumentException>(() => digits.Model.LossGradient(inputs[..100], [0, 1]));
    }
}
