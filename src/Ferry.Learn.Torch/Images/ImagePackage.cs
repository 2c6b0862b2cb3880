using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Packaging;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Writes an image model as a Ferry model package (flavor <c>torch</c>): the model's files under
/// <see cref="TorchFlavor.ModelFolder"/>, and in the manifest's settings how table rows hold images, if they do.
/// </summary>
public static class ImagePackage
{
    /// <summary>Settings key: "pixels" when table rows hold images, "images" when only images are accepted.</summary>
    public const string InputSetting = "input";

    /// <summary>Settings keys of the pixel-table layout.</summary>
    public const string PixelWidthSetting = "pixel_width", PixelHeightSetting = "pixel_height", PixelChannelsSetting = "pixel_channels", PixelMaxSetting = "pixel_max";

    /// <summary>
    /// The signature of an image model: the pixel columns (numeric, 0 to the table's maximum) when it reads a pixel
    /// table, otherwise one image input; the image shape is the model's input shape.
    /// </summary>
    public static ModelSignature Signature(IImageModel model, string label, PixelTable? pixelTable)
    {
        ArgumentNullException.ThrowIfNull(model);
        IReadOnlyList<InputColumn> inputs = pixelTable is null
            ? [new InputColumn("image", ColumnKind.Image)]
            : [.. pixelTable.Columns.Select(c => new InputColumn(c, ColumnKind.Numeric, Min: 0, Max: pixelTable.MaxValue))];
        return new ModelSignature(inputs, model.Classes.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass, label, [.. model.Classes], model.Shape);
    }

    /// <summary>Writes the package at <paramref name="target"/> (which must not exist), all or nothing.</summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="learner">The learner name recorded in the manifest (for example <c>cnn</c>).</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="signature">The signature, usually from <see cref="Signature"/>.</param>
    /// <param name="training">Where the model came from.</param>
    /// <param name="pixelTable">How table rows hold images, or null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task<ModelManifest> WriteAsync(
        string target, string learner, IImageModel model, ModelSignature signature, TrainingInfo training, PixelTable? pixelTable, CancellationToken cancellationToken) =>
        WriteAsync(target, learner, model, signature, training, pixelTable, reference: null, cancellationToken);

    /// <summary>Writes the package at <paramref name="target"/> (which must not exist) with a reference profile for drift checks, all or nothing.</summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="learner">The learner name recorded in the manifest (for example <c>cnn</c>).</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="signature">The signature, usually from <see cref="Signature"/>.</param>
    /// <param name="training">Where the model came from.</param>
    /// <param name="pixelTable">How table rows hold images, or null.</param>
    /// <param name="reference">The reference profile (label, predictions, pixel columns), or null for none.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task<ModelManifest> WriteAsync(
        string target, string learner, IImageModel model, ModelSignature signature, TrainingInfo training, PixelTable? pixelTable,
        ReferenceProfile? reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { [InputSetting] = pixelTable is null ? "images" : "pixels" };
        if (pixelTable is not null)
        {
            settings[PixelWidthSetting] = pixelTable.Width.ToString(CultureInfo.InvariantCulture);
            settings[PixelHeightSetting] = pixelTable.Height.ToString(CultureInfo.InvariantCulture);
            settings[PixelChannelsSetting] = pixelTable.Channels.ToString(CultureInfo.InvariantCulture);
            settings[PixelMaxSetting] = pixelTable.MaxValue.ToString("R", CultureInfo.InvariantCulture);
        }

        var manifest = new ModelManifest(
            ModelPackage.FormatVersion, TorchFlavor.FlavorName, learner, signature, new Dictionary<string, string>(), training, settings);
        return ModelPackageWriter.WriteAsync(target, manifest, async (staging, ct) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(staging, TorchFlavor.ModelFolder)).FullName;
            await model.SaveAsync(folder, ct);
            if (reference is not null)
            {
                await reference.SaveAsync(Path.Combine(staging, ReferenceProfile.FileName), ct);
            }
        }, cancellationToken);
    }

    /// <summary>The pixel-table layout recorded in a manifest, or null for a model that only takes images.</summary>
    internal static PixelTable? ReadPixelTable(ModelManifest manifest, string source)
    {
        var settings = manifest.Settings ?? new Dictionary<string, string>();
        if (settings.GetValueOrDefault(InputSetting, "images") != "pixels")
        {
            return null;
        }

        PixelTable table;
        try
        {
            table = new PixelTable(
                [.. manifest.Signature.Inputs.Select(i => i.Name)],
                int.Parse(settings[PixelWidthSetting], CultureInfo.InvariantCulture),
                int.Parse(settings[PixelHeightSetting], CultureInfo.InvariantCulture),
                int.Parse(settings[PixelChannelsSetting], CultureInfo.InvariantCulture),
                double.Parse(settings[PixelMaxSetting], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            throw Invalid(source, $"its pixel-table settings are incomplete or malformed ({e.Message})");
        }

        return table.Width > 0 && table.Height > 0 && table.Channels is 1 or 3 && table.MaxValue > 0
            && table.Columns.Count == table.Width * table.Height * table.Channels
            ? table
            : throw Invalid(source, $"its signature has {table.Columns.Count} inputs, which do not make the {table.Width}x{table.Height}x{table.Channels} pixel table its settings describe");
    }

    private static FerryException Invalid(string source, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"model package '{source}' cannot be used: {problem}");
}
