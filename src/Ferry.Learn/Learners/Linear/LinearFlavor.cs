using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;

namespace Ferry.Learn.Learners.Linear;

/// <summary>Loads <c>linear</c> packages: a tabular package whose model folder holds a ridge model's coefficients.</summary>
public sealed class LinearFlavor : IModelFlavor
{
    /// <inheritdoc />
    public string Name => RidgeLearner.FlavorName;

    /// <inheritdoc />
    public async Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var learner = new RidgeLearner();
        var name = TabularPackage.LearnerOf(package);
        if (name != learner.Name)
        {
            throw ModelPackage.Invalid(package.Source, $"its learner '{name}' is not one the linear runtime loads (it loads {learner.Name})");
        }

        return await TabularPackage.LoadAsync(package, learner, cancellationToken);
    }
}
