using Ferry.Data.Images;
using Ferry.Data.Tables;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Serves an image model behind <see cref="IPredictor"/>. Images come either as decoded images
/// (<see cref="PredictImages"/>, for example from an image folder) or, for models trained from a pixel table such as
/// the digits sample, as table rows (<see cref="PredictAsync"/>). Safe to call from several threads at once.
/// </summary>
/// <param name="model">The model; disposed with the predictor.</param>
/// <param name="signature">The package's signature.</param>
/// <param name="pixelTable">How table rows hold images, or null when the model only takes images.</param>
public sealed class ImagePredictor(IImageModel model, ModelSignature signature, PixelTable? pixelTable) : IPredictor
{
    /// <inheritdoc />
    public ModelSignature Signature { get; } = signature ?? throw new ArgumentNullException(nameof(signature));

    /// <summary>The model behind the predictor (for input gradients in robustness checks).</summary>
    public IImageModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Predicts each image: its most probable class and every class's probability.</summary>
    public Predictions PredictImages(IReadOnlyList<ImageItem> images)
    {
        var probabilities = Model.Predict(images);
        var labels = probabilities.Select(p => Model.Classes[Array.IndexOf(p, p.Max())]).ToArray();
        return Predictions.ForClasses(Signature.Task, Model.Classes, labels, probabilities);
    }

    /// <inheritdoc />
    /// <exception cref="FerryException">INPUT_INVALID when the model does not read table rows or a pixel column is missing or out of range.</exception>
    public Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        if (pixelTable is null)
        {
            throw FerryException.Invalid(
                "INPUT_INVALID",
                "this image model takes images, not table rows; predict on an image folder (one image per file) instead of a table");
        }

        return Task.Run(() => PredictImages(pixelTable.ToImages(features)), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
