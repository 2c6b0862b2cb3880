using Ferry.Learn.Packaging;
using Ferry.Learn.Torch.Images;
using Ferry.Learn.Torch.Mlp;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch;

/// <summary>
/// Loads <c>torch</c> model packages. The fitted model's files are in the package's <see cref="ModelFolder"/>.
/// Image models (<c>cnn</c>) load as an <see cref="ImagePredictor"/>. A tabular model (<c>mlp</c>) needs the package's
/// featurizer in front of it, which belongs to the tabular side: give <paramref name="tabular"/>, which receives the
/// package and the loaded <see cref="IFittedModel"/> and returns the predictor over raw table rows.
/// </summary>
/// <param name="tabular">Builds the predictor for a tabular package from its fitted model; null to load only image models.</param>
public sealed class TorchFlavor(Func<ModelPackage, IFittedModel, CancellationToken, Task<IPredictor>>? tabular = null) : IModelFlavor
{
    /// <summary>The flavor name in <c>model.json</c>.</summary>
    public const string FlavorName = "torch";

    /// <summary>The package folder holding the fitted model's own files (what the model's SaveAsync wrote).</summary>
    public const string ModelFolder = "model";

    /// <inheritdoc />
    public string Name => FlavorName;

    /// <inheritdoc />
    /// <exception cref="FerryException">PACKAGE_INVALID for an unknown learner, a missing model file or unusable settings;
    /// MODEL_FILES_INVALID when the files do not make a model; TORCH_UNAVAILABLE when libtorch cannot load.</exception>
    public async Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        switch (package.Manifest.Learner)
        {
            case "cnn":
                var pixelTable = ImagePackage.ReadPixelTable(package.Manifest, package.Source);
                var image = await CnnModel.LoadAsync(ModelFolderOf(package, CnnModel.ArchitectureFile, CnnModel.WeightsFile), cancellationToken);
                return new ImagePredictor(image, package.Manifest.Signature, pixelTable);
            case "mlp":
                if (tabular is null)
                {
                    throw FerryException.Invalid(
                        "PACKAGE_INVALID",
                        $"model package '{package.Source}' holds a tabular torch model, and this runtime was set up without the tabular featurizer to put in front of it");
                }

                var fitted = await LoadFittedAsync(package, cancellationToken);
                try
                {
                    return await tabular(package, fitted, cancellationToken);
                }
                catch
                {
                    fitted.Dispose();
                    throw;
                }

            default:
                throw FerryException.Invalid(
                    "PACKAGE_INVALID",
                    $"model package '{package.Source}' names learner '{package.Manifest.Learner}', which the torch runtime does not know (it loads mlp and cnn)");
        }
    }

    /// <summary>Loads the fitted tabular model (<c>mlp</c>) of a torch package, without a featurizer.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID, MODEL_FILES_INVALID or TORCH_UNAVAILABLE.</exception>
    public static async Task<IFittedModel> LoadFittedAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package.Manifest.Learner != "mlp")
        {
            throw FerryException.Invalid("PACKAGE_INVALID", $"model package '{package.Source}' holds a '{package.Manifest.Learner}' model, not a tabular mlp");
        }

        return await MlpModel.LoadAsync(ModelFolderOf(package, MlpModel.ArchitectureFile, MlpModel.WeightsFile), cancellationToken);
    }

    /// <summary>The library versions to record in a torch package's training info.</summary>
    public static IReadOnlyDictionary<string, string> LibraryVersions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        ["libtorch"] = TorchSharp.torch.__version__,
    };

    /// <summary>The model folder, after checking that the manifest lists (and so has verified) the model's files.</summary>
    private static string ModelFolderOf(ModelPackage package, params string[] files)
    {
        foreach (var file in files)
        {
            package.PathOf($"{ModelFolder}/{file}");
        }

        return Path.Combine(package.Folder, ModelFolder);
    }
}
