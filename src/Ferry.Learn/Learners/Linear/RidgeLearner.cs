using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Learners.Linear;

/// <summary>
/// Linear least-squares regression with an L2 penalty (<c>ridge</c>, flavor <c>linear</c>), solved exactly rather
/// than iteratively. ML.NET's exact solver (OLS, in Microsoft.ML.Mkl.Components) is not available, and its SDCA
/// regression stops short of the least-squares fit when the penalty is small; on small tables with a mostly linear
/// target, the exact fit is what a careful data scientist tries first. <c>alpha</c> weighs ‖β‖² against the summed
/// squared errors, as in scikit-learn's Ridge, on standardised features.
/// </summary>
public sealed class RidgeLearner : ILearner
{
    /// <summary>The package flavor of ridge models.</summary>
    public const string FlavorName = "linear";

    /// <summary>
    /// Above this many rows × features² the Gram matrix costs more than a few seconds: the portfolio offers nothing
    /// and a fit is refused (SDCA covers wide data).
    /// </summary>
    public const double MaxWork = 4e9;

    private const string Alpha = "alpha";

    /// <inheritdoc />
    public string Name => "ridge";

    /// <inheritdoc />
    public string Flavor => FlavorName;

    /// <inheritdoc />
    public bool NeedsScaling => true;

    /// <inheritdoc />
    public IReadOnlyList<ParameterRange> Space { get; } = [new(Alpha, ParameterScale.Log, 1e-3, 1e3)];

    /// <inheritdoc />
    public bool Supports(TaskKind task) => task == TaskKind.Regression;

    /// <inheritdoc />
    public IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        if (traits.Task != TaskKind.Regression || Work(traits.Rows, traits.Features) > MaxWork)
        {
            return [];
        }

        double[] alphas = traits.IsSmall ? [10, 1, 100] : [1, 0.1, 10];
        return [.. alphas.Select(a => new Hyperparameters([KeyValuePair.Create(Alpha, a.ToString("R", CultureInfo.InvariantCulture))]))];
    }

    /// <inheritdoc />
    public IReadOnlyList<DefaultChoice> PortfolioDefaults(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var portfolio = Portfolio(traits);
        return portfolio.Count == 0
            ? []
            : [new("regularisation", $"alpha from {portfolio[0].Number(Alpha, 0).ToString(CultureInfo.InvariantCulture)}", traits.IsSmall
                ? $"{traits.Rows:N0} rows is small data (under {DataTraits.SmallDataRows:N0}): ridge starts from a stronger penalty, which trades a little bias for much less variance"
                : "scikit-learn's default penalty first, then weaker and stronger ones")];
    }

    /// <inheritdoc />
    /// <exception cref="FerryException">LEARNER_TASK for classification; TRAINING_EMPTY, FEATURES_NOT_FINITE, LABEL_INVALID or
    /// WEIGHT_INVALID for data it cannot fit; HYPERPARAMETER_INVALID for an alpha that is not a positive number;
    /// LEARNER_DATA for data too wide to solve exactly; TRAINING_FAILED when the system cannot be solved.</exception>
    public Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!Supports(train.Task))
        {
            throw FerryException.Invalid("LEARNER_TASK", $"learner '{Name}' fits regression only, not {train.Task.ToString().ToLowerInvariant()} tasks; leave it out for this data");
        }

        TrainingChecks.Check(train, Name);
        if (Work(train.Features.Rows, train.Features.Columns) > MaxWork)
        {
            throw FerryException.Invalid(
                "LEARNER_DATA",
                $"learner '{Name}' solves a system of features × features, which for {train.Features.Columns:N0} features and {train.Features.Rows:N0} rows is too costly; leave it out and let sdca fit this data");
        }

        var alpha = hyperparameters.Number(Alpha, 1);
        if (!(alpha > 0) || !double.IsFinite(alpha))
        {
            throw FerryException.Invalid("HYPERPARAMETER_INVALID", $"learner '{Name}' needs {Alpha} to be a positive number, not {alpha.ToString(CultureInfo.InvariantCulture)}");
        }

        return Task.Run<IFittedModel>(() =>
        {
            var solution = RidgeSolver.Solve(train.Features, train.Labels, train.Weights, alpha, cancellationToken)
                ?? throw FerryException.Invalid("TRAINING_FAILED", $"learner '{Name}' could not solve with {hyperparameters}: the features are too nearly collinear for this {Alpha}; try a larger one");
            return new RidgeModel(solution.Coefficients, solution.Intercept);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) =>
        await RidgeModel.LoadAsync(folder, cancellationToken);

    private static double Work(int rows, int features) => (double)rows * features * features;
}
