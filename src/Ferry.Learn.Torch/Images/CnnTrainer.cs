using Ferry.Data.Images;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// The zoo's image model (<c>cnn</c>, flavor <c>torch</c>): a small CNN trained on an <see cref="ImageDataset"/>
/// with augmentation (random shifts, optional flips), AdamW, cross-entropy or focal loss, and early stopping on a
/// held-back, class-stratified slice. Image datasets are not feature matrices, so this is its own entry point
/// beside <see cref="ILearner"/>, with the same shape: space, portfolio, fit, load. Repeatable from the seed.
/// </summary>
/// <param name="options">Threads per fit; defaults to <see cref="TorchOptions.Default"/>.</param>
public sealed class CnnTrainer(TorchOptions? options = null) : IImageLearner
{
    private readonly TorchOptions _options = options ?? TorchOptions.Default;

    /// <inheritdoc />
    public string Name => "cnn";

    /// <inheritdoc />
    public string Flavor => TorchFlavor.FlavorName;

    /// <inheritdoc />
    public IReadOnlyList<ParameterRange> Space => CnnSearchSpace.Ranges;

    /// <inheritdoc />
    public IReadOnlyList<Hyperparameters> Portfolio(ImageTraits traits) => CnnSearchSpace.Portfolio(traits);

    /// <inheritdoc />
    public async Task<IImageModel> FitAsync(ImageDataset train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken) =>
        await FitCnnAsync(train, hyperparameters, seed, cancellationToken);

    /// <inheritdoc />
    public async Task<IImageModel> LoadAsync(string folder, CancellationToken cancellationToken) => await CnnModel.LoadAsync(folder, cancellationToken);

    /// <summary>Fits a model on <paramref name="train"/>; images of other sizes are resized to the chosen input shape.</summary>
    /// <exception cref="FerryException">TRAINING_EMPTY, LABEL_ONE_CLASS, HYPERPARAMETER_INVALID, TRAINING_DIVERGED or TORCH_UNAVAILABLE.</exception>
    public async Task<CnnModel> FitCnnAsync(ImageDataset train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (train.Count == 0)
        {
            throw FerryException.Invalid("TRAINING_EMPTY", "cnn got no images; give a folder with one subfolder of images per class");
        }

        if (train.Classes.Count < 2)
        {
            throw FerryException.Invalid("LABEL_ONE_CLASS", $"all images are labelled '{train.Classes[0]}'; cnn needs at least two classes (one subfolder per class)");
        }

        var settings = CnnSettings.Read(hyperparameters, ImageTraits.Of(train));
        return await Task.Run(() => Fit(train, settings, seed, cancellationToken), cancellationToken);
    }

    private CnnModel Fit(ImageDataset train, CnnSettings settings, int seed, CancellationToken cancellationToken)
    {
        TorchRuntime.Prepare(_options);
        var random = new Random(seed);
        using var generator = new Generator(unchecked((ulong)seed));
        var classes = train.Classes.ToArray();
        var labels = train.Items.Select(i => (float)Array.BinarySearch(classes, i.Label, StringComparer.Ordinal)).ToArray();
        var channels = ImageTraits.Of(train).Shape.Channels;
        var inputs = ImagePixels.ToInputs(train.Items, settings.Width, settings.Height, channels);
        var (trainRows, validationRows) = ValidationSlice.Split(labels, classification: true, random);
        var (mean, std) = ChannelStatistics(inputs, trainRows, channels, settings.Width * settings.Height);
        var architecture = new CnnArchitecture(
            CnnArchitecture.CurrentFormat, classes, settings.Width, settings.Height, channels,
            settings.Blocks, settings.Channels, settings.Hidden, settings.Dropout, mean, std);
        var network = new CnnNetwork(architecture);
        try
        {
            SeededInit.Apply(network, generator);
            network.DropoutGenerator = generator;
            var rowShape = new long[] { channels, settings.Height, settings.Width };
            var runner = new NetworkRunner(network, rowShape, classes.Length == 2 ? Data.Schema.TaskKind.Binary : Data.Schema.TaskKind.Multiclass, classes.Length, 0, 1);
            using var data = new RowTensors(inputs, rowShape, runner.Targets(labels), Losses.RowWeights(settings.Loss, labels, null, classes.Length), trainRows, validationRows);
            var report = TrainingLoop.Run(
                network,
                trainRows.Length,
                index =>
                {
                    var batch = Augmenter.Apply(data.TrainInputs(index), settings.Shift, settings.Flip, generator);
                    return Losses.Compute(settings.Loss, network.forward(batch), data.TrainTargets(index), data.TrainWeights(index));
                },
                validationRows.Length == 0 ? null : () => data.ValidationLoss(x => network.forward(x), settings.Loss),
                settings.Loop,
                validationRows.Length,
                random,
                cancellationToken);
            network.DropoutGenerator = null;
            return new CnnModel(network, architecture, report);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Per-channel mean and standard deviation over the training images (a flat channel stays unscaled).</summary>
    private static (float[] Mean, float[] Std) ChannelStatistics(float[] inputs, int[] rows, int channels, int plane)
    {
        var mean = new float[channels];
        var std = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            foreach (var row in rows)
            {
                var values = inputs.AsSpan(((row * channels) + c) * plane, plane);
                foreach (var v in values)
                {
                    sum += v;
                    squares += (double)v * v;
                }
            }

            var count = (double)rows.Length * plane;
            var m = sum / count;
            mean[c] = (float)m;
            std[c] = (float)Math.Max(Math.Sqrt(Math.Max(0, (squares / count) - (m * m))), 1e-3);
        }

        return (mean, std);
    }
}
