using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Features;
using Ferry.Learn.Packaging;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tabular;

/// <summary>
/// The layout of a tabular model package, whatever the learner's flavor: <c>features.json</c> (the featurizer),
/// <c>model/</c> (the learner's own files), <c>reference.json</c> (the drift reference, optional) and
/// <c>model.json</c>, whose settings name the learner and the binary threshold.
/// </summary>
public static class TabularPackage
{
    /// <summary>The folder holding the learner's files.</summary>
    public const string ModelFolder = "model";

    /// <summary>The setting naming the learner.</summary>
    public const string LearnerSetting = "learner";

    /// <summary>The setting holding the binary decision threshold.</summary>
    public const string ThresholdSetting = "threshold";

    /// <summary>Writes <paramref name="predictor"/> as a package folder at <paramref name="target"/> (which must not exist).</summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="predictor">The fitted featurizer, model, signature and threshold.</param>
    /// <param name="training">Where the model came from.</param>
    /// <param name="reference">The reference profile for drift checks, if built.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
    /// <returns>The manifest as written.</returns>
    public static Task<ModelManifest> WriteAsync(string target, TabularPredictor predictor, TrainingInfo training, ReferenceProfile? reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(training);
        var settings = new Dictionary<string, string> { [LearnerSetting] = predictor.Learner };
        if (predictor.Signature.Task == TaskKind.Binary)
        {
            settings[ThresholdSetting] = predictor.Threshold.ToString("R", CultureInfo.InvariantCulture);
        }

        var manifest = new ModelManifest(0, predictor.Flavor, predictor.Learner, predictor.Signature, new Dictionary<string, string>(), training, settings);
        return ModelPackageWriter.WriteAsync(target, manifest, async (folder, ct) =>
        {
            await predictor.Featurizer.SaveAsync(Path.Combine(folder, Featurizer.FileName), ct);
            var modelFolder = Directory.CreateDirectory(Path.Combine(folder, ModelFolder)).FullName;
            await predictor.Model.SaveAsync(modelFolder, ct);
            if (reference is not null)
            {
                await reference.SaveAsync(Path.Combine(folder, ReferenceProfile.FileName), ct);
            }
        }, cancellationToken);
    }

    /// <summary>The learner that wrote the package: the manifest's, else its <c>learner</c> setting (older packages); null when neither says.</summary>
    public static string? LearnerOf(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Manifest.Learner ?? package.Manifest.Settings?.GetValueOrDefault(LearnerSetting);
    }

    /// <summary>Loads a verified tabular package with the learner that wrote it.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when a file is missing or unreadable or a setting is malformed.</exception>
    public static async Task<TabularPredictor> LoadAsync(ModelPackage package, ILearner learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(learner);
        var manifest = package.Manifest;
        var featurizer = await Featurizer.LoadAsync(package.PathOf(Featurizer.FileName), cancellationToken);
        if (!manifest.Files.Keys.Any(f => f.StartsWith(ModelFolder + "/", StringComparison.Ordinal)))
        {
            throw ModelPackage.Invalid(package.Source, $"it has no files under '{ModelFolder}/'; the {learner.Name} model is missing");
        }

        var threshold = 0.5;
        if (manifest.Settings?.TryGetValue(ThresholdSetting, out var text) == true
            && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold))
        {
            throw ModelPackage.Invalid(package.Source, $"its threshold setting '{text}' is not a number");
        }

        var model = await learner.LoadAsync(Path.Combine(package.Folder, ModelFolder), cancellationToken);
        return new TabularPredictor(learner.Name, learner.Flavor, featurizer, model, manifest.Signature, threshold);
    }

    /// <summary>The package's reference profile, or null when it has none.</summary>
    public static async Task<ReferenceProfile?> ReadReferenceAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Manifest.Files.ContainsKey(ReferenceProfile.FileName)
            ? await ReferenceProfile.LoadAsync(package.PathOf(ReferenceProfile.FileName), cancellationToken)
            : null;
    }
}
