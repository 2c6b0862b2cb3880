using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;
using Ferry.Learn.Torch.Images;
using Ferry.Learn.Torch.Mlp;

namespace Ferry.Learn.Torch;

/// <summary>
/// Loads <c>torch</c> model packages. Image models (<c>cnn</c>) load as an <see cref="ImagePredictor"/>; tabular
/// models (<c>mlp</c>) are tabular packages (<see cref="TabularPackage"/>: featurizer, model folder, reference) and
/// load as a <see cref="TabularPredictor"/> over raw table rows, like the ML.NET learners' packages.
/// </summary>
public sealed class TorchFlavor : IModelFlavor
{
    /// <summary>The flavor name in <c>model.json</c>.</summary>
    public const string FlavorName = "torch";

    /// <summary>The package folder holding the fitted model's own files (what the model's SaveAsync wrote).</summary>
    public const string ModelFolder = TabularPackage.ModelFolder;

    /// <inheritdoc />
    public string Name => FlavorName;

    /// <inheritdoc />
    /// <exception cref="FerryException">PACKAGE_INVALID for an unknown learner, a missing file or unusable settings;
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
                ModelFolderOf(package, MlpModel.ArchitectureFile, MlpModel.WeightsFile);
                return await TabularPackage.LoadAsync(package, new MlpLearner(), cancellationToken);
            default:
                throw FerryException.Invalid(
                    "PACKAGE_INVALID",
                    $"model package '{package.Source}' names learner '{package.Manifest.Learner}', which the torch runtime does not know (it loads mlp and cnn)");
        }
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
