using Ferry.Learn.Packaging;

namespace Ferry.Learn.Ensembles;

/// <summary>
/// Loads <c>ensemble</c> packages. Its members may be of any flavor (an ML.NET tree next to a torch MLP), so it loads
/// them through the registry it is itself loaded through: <see cref="ModelFlavors"/> hands itself over, and a CLI that
/// composes ML.NET, torch and ONNX runtimes gets ensembles of all of them with no further wiring.
/// </summary>
public sealed class EnsembleFlavor : ICompositeModelFlavor
{
    /// <inheritdoc />
    public string Name => EnsemblePackage.FlavorName;

    /// <summary>Loads the package's members with the built-in runtimes only (<see cref="ModelFlavors.Builtin"/>).</summary>
    public Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken) =>
        LoadAsync(package, ModelFlavors.Builtin, cancellationToken);

    /// <inheritdoc />
    public async Task<IPredictor> LoadAsync(ModelPackage package, ModelFlavors flavors, CancellationToken cancellationToken) =>
        await EnsemblePackage.LoadAsync(package, flavors, cancellationToken);
}
