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

    /// <summary>Whether it also reads table rows (a model trained from a pixel table such as digits), not only images.</summary>
    public bool ReadsTableRows => pixelTable is not null;

    /// <summary>The model behind the predictor (for input gradients in robustness checks).</summary>
    public IImageModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Predicts each image: its most probable class and every class's probability.</summary>
    public Predictions PredictImages(IReadOnlyList<ImageItem> images)
    {
        var probabilities = Model.Predict(images);
        var labels = probabilities.Select(p => Model.Classes[Array.IndexOf(p, p.Max())]).ToArray();
        return Predictions.ForClasses(Signature.Task, Model.Classes, labels, probabilities);
    }

    /// <summary>
    /// Loads every image under <paramref name="folder"/> and predicts each: a flat folder of new images, or a labelled
    /// folder (one subfolder per class, as for training) whose labels come back beside the predictions. Files that are
    /// not images are skipped and undecodable images left out, both reported in the result (see
    /// <see cref="ImageFolderLoader.LoadForPredictionAsync"/>).
    /// </summary>
    /// <param name="folder">The folder of images.</param>
    /// <param name="options">Strictness and limits; null for the defaults (bad images skipped).</param>
    /// <param name="cancellationToken">Stops the load and the prediction.</param>
    /// <exception cref="FerryException">FILE_NOT_FOUND, IMAGE_FOLDER_EMPTY, IMAGE_NONE_READABLE and the other load errors.</exception>
    public async Task<ImageFolderPredictions> PredictFolderAsync(string folder, ImageLoadOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var loaded = await ImageFolderLoader.LoadForPredictionAsync(folder, options ?? new ImageLoadOptions(), null, cancellationToken);
        var predictions = await Task.Run(() => PredictImages(loaded.Dataset.Items), cancellationToken);
        return new ImageFolderPredictions(loaded, predictions);
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

/// <summary>The predictions for a folder of images, row for row with the images loaded.</summary>
/// <param name="Images">
/// What was loaded: <c>Images.Dataset.Items[i]</c> is the image of prediction row i; its <c>Id</c> is its path
/// relative to the folder and its <c>Label</c> its class folder's name (empty for an image directly in the folder).
/// Images that could not be decoded are not predicted; they are listed in <c>BadImages</c>.
/// </param>
/// <param name="Predictions">One row per loaded image: the predicted class and every class's probability.</param>
public sealed record ImageFolderPredictions(ImageLoadResult Images, Predictions Predictions);
