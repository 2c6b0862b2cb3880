using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// A fitted ML.NET pipeline (trainer and, where needed, calibrator) over the <c>Features</c> vector. Scoring reads
/// <c>Probability</c> for binary, the <c>Score</c> vector (class-index order) for multiclass and <c>Score</c> for
/// regression, row by row through pooled prediction engines (<see cref="RowScorer"/>), so one model serves concurrent
/// predictions.
/// </summary>
internal sealed class MlNetModel : IFittedModel
{
    /// <summary>The ML.NET model file inside the model folder.</summary>
    public const string FileName = "model.zip";

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly int _features;
    private readonly RowScorer _rows;

    public MlNetModel(MLContext ml, ITransformer model, TaskKind task, int classCount, int features)
    {
        _ml = ml;
        _model = model;
        Task = task;
        ClassCount = classCount;
        _features = features;
        _rows = RowScorer.For(ml, model, task, features);
    }

    /// <summary>The fitted ML.NET pipeline.</summary>
    internal ITransformer Transformer => _model;

    /// <summary>The task the model solves.</summary>
    public TaskKind Task { get; }

    /// <summary>Classes (2 for binary; 0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>Loads a model saved by <see cref="SaveAsync"/>; the task and class count are read back from its output schema.</summary>
    public static async Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw FerryException.Invalid("PACKAGE_INVALID", $"the ML.NET model file '{path}' is missing");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var ml = MlNetContext.Create(seed: 0);
        ITransformer model;
        DataViewSchema input;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            model = ml.Model.Load(stream, out input);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw FerryException.Invalid("PACKAGE_INVALID", $"the ML.NET model '{path}' cannot be loaded ({e.Message})", inner: e);
        }

        var featureType = input[MatrixDataView.FeaturesColumn].Type as VectorDataViewType
            ?? throw FerryException.Invalid("PACKAGE_INVALID", $"the ML.NET model '{path}' does not read a feature vector");
        var output = model.GetOutputSchema(input);
        var (task, classes) = output.GetColumnOrNull("Probability") is not null
            ? (TaskKind.Binary, 2)
            : output["Score"].Type is VectorDataViewType scores ? (TaskKind.Multiclass, scores.Size) : (TaskKind.Regression, 0);
        return new MlNetModel(ml, model, task, classes, featureType.Size);
    }

    /// <inheritdoc />
    public float[][] Predict(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != _features)
        {
            throw new ArgumentException($"the model reads {_features} features but got {features.Columns}", nameof(features));
        }

        return _rows.Predict(features);
    }

    /// <inheritdoc />
    public Task SaveAsync(string folder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var schema = MatrixDataView.ForScoring(new FeatureMatrix([], [.. Enumerable.Range(0, _features).Select(i => $"f{i}")])).Schema;
        _ml.Model.Save(_model, schema, Path.Combine(folder, FileName));
        return System.Threading.Tasks.Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Transformers hold no unmanaged state once trained (LightGBM's booster is copied into managed trees).
        _rows.Dispose();
        (_model as IDisposable)?.Dispose();
    }
}
