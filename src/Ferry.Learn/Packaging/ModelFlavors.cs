using Ferry.Learn.Ensembles;
using Ferry.Learn.Learners.Linear;
using Ferry.Learn.Learners.MlNet;

namespace Ferry.Learn.Packaging;

/// <summary>
/// The model runtimes Ferry can load, by flavor name. Immutable: <see cref="With"/> returns a new registry, so
/// the torch and onnx flavors are added where they are composed.
/// </summary>
public sealed class ModelFlavors
{
    private readonly Dictionary<string, IModelFlavor> _flavors;

    /// <summary>A registry of the given flavors (a later one replaces an earlier one of the same name).</summary>
    public ModelFlavors(IEnumerable<IModelFlavor> flavors)
    {
        ArgumentNullException.ThrowIfNull(flavors);
        _flavors = new Dictionary<string, IModelFlavor>(StringComparer.Ordinal);
        foreach (var flavor in flavors)
        {
            _flavors[flavor.Name] = flavor;
        }
    }

    /// <summary>The flavors built into this assembly: <c>mlnet</c>, <c>linear</c> and <c>ensemble</c> (whose members load through whichever registry loads it).</summary>
    public static ModelFlavors Builtin { get; } = new([new MlNetFlavor(), new LinearFlavor(), new EnsembleFlavor()]);

    /// <summary>The registered flavor names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _flavors.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A registry with <paramref name="flavor"/> added (replacing one of the same name).</summary>
    public ModelFlavors With(IModelFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return new ModelFlavors(_flavors.Values.Append(flavor));
    }

    /// <summary>The flavor called <paramref name="name"/>, or null.</summary>
    public IModelFlavor? Find(string name) => _flavors.GetValueOrDefault(name);

    /// <summary>Loads an opened package with the runtime its manifest names.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when no registered runtime has that flavor, or the flavor refuses the package.</exception>
    public async Task<IPredictor> LoadPredictorAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var flavor = Find(package.Manifest.Flavor)
            ?? throw ModelPackage.Invalid(
                package.Source,
                $"its flavor '{package.Manifest.Flavor}' has no runtime in this Ferry (known: {string.Join(", ", Names)}); upgrade Ferry or re-train the model");
        return flavor is ICompositeModelFlavor composite
            ? await composite.LoadAsync(package, this, cancellationToken)
            : await flavor.LoadAsync(package, cancellationToken);
    }

    /// <summary>Opens, verifies and loads the package at <paramref name="path"/> (a folder or a zip).</summary>
    public async Task<IPredictor> LoadPredictorAsync(string path, CancellationToken cancellationToken)
    {
        using var package = await ModelPackage.OpenAsync(path, cancellationToken);
        return await LoadPredictorAsync(package, cancellationToken);
    }
}
