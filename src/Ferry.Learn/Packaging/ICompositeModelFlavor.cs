namespace Ferry.Learn.Packaging;

/// <summary>
/// A runtime whose packages hold other packages (an ensemble's members, which may be of any flavor).
/// <see cref="ModelFlavors"/> passes itself when it loads one, so the members resolve through the same registry.
/// </summary>
public interface ICompositeModelFlavor : IModelFlavor
{
    /// <summary>Loads the package, resolving the runtimes of the packages inside it through <paramref name="flavors"/>.</summary>
    /// <param name="package">The opened, verified package.</param>
    /// <param name="flavors">The registry this flavor is being loaded through.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    Task<IPredictor> LoadAsync(ModelPackage package, ModelFlavors flavors, CancellationToken cancellationToken);
}
