using Ferry.Data.Images;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// An image learner: the counterpart of <see cref="ILearner"/> for image datasets, which are not feature matrices.
/// Stateless and safe to use from several trials at once.
/// </summary>
public interface IImageLearner
{
    /// <summary>The zoo name, for example <c>cnn</c>.</summary>
    string Name { get; }

    /// <summary>The package flavor its models are saved as.</summary>
    string Flavor { get; }

    /// <summary>The hyperparameters a search may vary, with their ranges.</summary>
    IReadOnlyList<ParameterRange> Space { get; }

    /// <summary>Known-good starting configurations for images like these, best guess first.</summary>
    IReadOnlyList<Hyperparameters> Portfolio(ImageTraits traits);

    /// <summary>Fits a model. Honours <paramref name="cancellationToken"/> between batches.</summary>
    Task<IImageModel> FitAsync(ImageDataset train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken);

    /// <summary>Loads a model this learner saved with <see cref="IImageModel.SaveAsync"/>.</summary>
    Task<IImageModel> LoadAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>A fitted image classifier.</summary>
public interface IImageModel : IInputGradients, IDisposable
{
    /// <summary>The class labels, in probability-column order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>The shape images are resized to before they reach the model.</summary>
    ImageShape Shape { get; }

    /// <summary>Class probabilities for each image (any size or channel count; they are resized and converted).</summary>
    float[][] Predict(IReadOnlyList<ImageItem> images);

    /// <summary>The images in the model's input space (see <see cref="IInputGradients"/>).</summary>
    float[] ToInputs(IReadOnlyList<ImageItem> images);

    /// <summary>Writes the model's files into <paramref name="folder"/> (which exists and is empty).</summary>
    Task SaveAsync(string folder, CancellationToken cancellationToken);
}
