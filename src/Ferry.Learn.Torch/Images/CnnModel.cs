using System.Text.Json;
using Ferry.Data.Images;
using Ferry.Data.Schema;
using Ferry.Learn.Torch.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// A trained image classifier. Predicts from several threads at once; exposes the input gradient of its loss in
/// pixel units for robustness checks. Saved as <c>architecture.json</c> plus the weights in TorchSharp's format.
/// </summary>
public sealed class CnnModel : IImageModel
{
    /// <summary>The file holding the input shape, normalisation, layer sizes and classes.</summary>
    public const string ArchitectureFile = "architecture.json";

    /// <summary>The file holding the weights (TorchSharp's state-dict format).</summary>
    public const string WeightsFile = "weights.bin";

    private readonly CnnNetwork _network;
    private readonly CnnArchitecture _architecture;
    private readonly NetworkRunner _runner;

    internal CnnModel(CnnNetwork network, CnnArchitecture architecture, FitReport? report)
    {
        _network = network;
        _architecture = architecture;
        _runner = new NetworkRunner(
            network, [architecture.Channels, architecture.Height, architecture.Width], Task, architecture.Classes.Length, 0, 1);
        Report = report;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => _architecture.Classes;

    /// <summary>Binary for two classes, multiclass otherwise.</summary>
    public TaskKind Task => _architecture.Classes.Length == 2 ? TaskKind.Binary : TaskKind.Multiclass;

    /// <inheritdoc />
    public ImageShape Shape => new(_architecture.Width, _architecture.Height, _architecture.Channels);

    /// <summary>How the fit went; null for a model loaded from files.</summary>
    public FitReport? Report { get; }

    /// <inheritdoc />
    public int InputLength => _runner.RowLength;

    /// <inheritdoc />
    public float[][] Predict(IReadOnlyList<ImageItem> images) => _runner.Predict(ToInputs(images));

    /// <inheritdoc />
    public float[] ToInputs(IReadOnlyList<ImageItem> images) =>
        ImagePixels.ToInputs(images, _architecture.Width, _architecture.Height, _architecture.Channels);

    /// <inheritdoc />
    public float[][] PredictInputs(float[] inputs) => _runner.Predict(inputs);

    /// <inheritdoc />
    public InputGradient LossGradient(float[] inputs, float[] labels) => _runner.LossGradient(inputs, labels);

    /// <inheritdoc />
    public async Task SaveAsync(string folder, CancellationToken cancellationToken)
    {
        await using (var stream = File.Create(Path.Combine(folder, ArchitectureFile)))
        {
            await JsonSerializer.SerializeAsync(stream, _architecture, FerryJson.Indented, cancellationToken);
        }

        _network.save(Path.Combine(folder, WeightsFile));
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();

    /// <summary>Loads a model written by <see cref="SaveAsync"/>.</summary>
    /// <exception cref="FerryException">MODEL_FILES_INVALID when a file is missing, unreadable or does not fit the architecture.</exception>
    internal static async Task<CnnModel> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var architecture = await ModelFiles.ReadJsonAsync<CnnArchitecture>(folder, ArchitectureFile, "cnn", cancellationToken);
        if (architecture.Format is < 1 or > CnnArchitecture.CurrentFormat || architecture.Classes is not { Length: >= 2 }
            || architecture.Width < 1 || architecture.Height < 1 || architecture.Channels is not (1 or 3) || architecture.Blocks < 1
            || architecture.Mean?.Length != architecture.Channels || architecture.Std?.Length != architecture.Channels)
        {
            throw ModelFiles.Invalid(folder, $"its {ArchitectureFile} has format {architecture.Format} or a shape this Ferry cannot build (it reads format {CnnArchitecture.CurrentFormat})");
        }

        return new CnnModel(ModelFiles.LoadNetwork(() => new CnnNetwork(architecture), folder, WeightsFile), architecture, report: null);
    }
}
