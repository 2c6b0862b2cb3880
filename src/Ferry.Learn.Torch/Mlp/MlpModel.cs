using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>
/// A trained MLP on featurised rows. Predicts from several threads at once; exposes the input gradient of its
/// loss for robustness checks. Saved as <c>architecture.json</c> plus the weights in TorchSharp's format.
/// </summary>
public sealed class MlpModel : IFittedModel, IInputGradients
{
    /// <summary>The file holding layer sizes, task and target scaling.</summary>
    public const string ArchitectureFile = "architecture.json";

    /// <summary>The file holding the weights (TorchSharp's state-dict format).</summary>
    public const string WeightsFile = "weights.bin";

    private readonly MlpNetwork _network;
    private readonly MlpArchitecture _architecture;
    private readonly NetworkRunner _runner;

    internal MlpModel(MlpNetwork network, MlpArchitecture architecture, FitReport? report)
    {
        _network = network;
        _architecture = architecture;
        _runner = new NetworkRunner(network, [architecture.Inputs], architecture.Task, architecture.Outputs, architecture.TargetMean, architecture.TargetScale);
        Report = report;
    }

    /// <summary>The task it solves.</summary>
    public TaskKind Task => _architecture.Task;

    /// <summary>Units per hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayers => _architecture.Hidden;

    /// <summary>How the fit went; null for a model loaded from files.</summary>
    public FitReport? Report { get; }

    /// <inheritdoc />
    public int InputLength => _architecture.Inputs;

    /// <inheritdoc />
    /// <exception cref="FerryException">FEATURES_MISMATCH when the matrix has a different number of features than in training.</exception>
    public float[][] Predict(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != _architecture.Inputs)
        {
            throw FerryException.Invalid(
                "FEATURES_MISMATCH",
                $"the MLP was trained on {_architecture.Inputs} features but got {features.Columns}; featurise the input with the model's own featurizer");
        }

        return _runner.Predict(features.Values);
    }

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

    /// <summary>Loads a model written by <see cref="SaveAsync"/>.</summary>
    /// <exception cref="FerryException">MODEL_FILES_INVALID when a file is missing, unreadable or does not fit the architecture.</exception>
    internal static async Task<MlpModel> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var architecture = await ModelFiles.ReadJsonAsync<MlpArchitecture>(folder, ArchitectureFile, "mlp", cancellationToken);
        if (architecture.Format is < 1 or > MlpArchitecture.CurrentFormat || architecture.Hidden is null || architecture.Inputs < 1 || architecture.Outputs < 1)
        {
            throw ModelFiles.Invalid(folder, $"its {ArchitectureFile} has format {architecture.Format} or sizes this Ferry cannot build (it reads format {MlpArchitecture.CurrentFormat})");
        }

        return new MlpModel(ModelFiles.LoadNetwork(() => new MlpNetwork(architecture), folder, WeightsFile), architecture, report: null);
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();
}
