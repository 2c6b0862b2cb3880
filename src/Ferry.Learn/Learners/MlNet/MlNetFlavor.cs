using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>Loads <c>mlnet</c> packages: a tabular package whose model folder holds an ML.NET model zip.</summary>
public sealed class MlNetFlavor : IModelFlavor
{
    /// <inheritdoc />
    public string Name => MlNetLearner.FlavorName;

    /// <inheritdoc />
    public async Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var name = TabularPackage.LearnerOf(package);
        var learner = (name is null ? null : MlNetZoo.Find(name))
            ?? throw ModelPackage.Invalid(
                package.Source,
                $"its learner '{name}' is not an ML.NET learner this Ferry knows ({string.Join(", ", MlNetZoo.All.Select(l => l.Name))})");
        return await TabularPackage.LoadAsync(package, learner, cancellationToken);
    }
}
