using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Evaluation;
using Ferry.Learn.Features;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tabular;

/// <summary>
/// A tabular model ready to score tables: the fitted featurizer, the learner's fitted model, the class labels and,
/// for binary tasks, the tuned decision threshold. Thread-safe when the fitted model is (ML.NET models are).
/// </summary>
public sealed class TabularPredictor : IPredictor
{
    /// <summary>Wraps fitted parts.</summary>
    /// <param name="learner">The learner's zoo name.</param>
    /// <param name="flavor">The package flavor its model saves as.</param>
    /// <param name="featurizer">The featurizer the model was trained behind.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="signature">Inputs, task, label and classes.</param>
    /// <param name="threshold">For binary tasks, class 1 is predicted when its probability is at least this.</param>
    public TabularPredictor(string learner, string flavor, Featurizer featurizer, IFittedModel model, ModelSignature signature, double threshold = 0.5)
    {
        ArgumentException.ThrowIfNullOrEmpty(learner);
        ArgumentException.ThrowIfNullOrEmpty(flavor);
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(signature);
        Learner = learner;
        Flavor = flavor;
        Featurizer = featurizer;
        Model = model;
        Signature = signature;
        Threshold = threshold;
    }

    /// <summary>The learner's zoo name.</summary>
    public string Learner { get; }

    /// <summary>The package flavor.</summary>
    public string Flavor { get; }

    /// <summary>The fitted featurizer.</summary>
    public Featurizer Featurizer { get; }

    /// <summary>The fitted model on featurised rows.</summary>
    public IFittedModel Model { get; }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <summary>The binary decision threshold (0.5 unless tuned; unused for other tasks).</summary>
    public double Threshold { get; }

    /// <summary>Wraps a model fitted by <paramref name="learner"/> on data with <paramref name="schema"/>.</summary>
    public static TabularPredictor Create(ILearner learner, Featurizer featurizer, IFittedModel model, DatasetSchema schema, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(featurizer);
        return new TabularPredictor(learner.Name, learner.Flavor, featurizer, model, featurizer.Signature(schema), threshold);
    }

    /// <inheritdoc />
    public Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Predict(features));
    }

    /// <summary>Scores every row of <paramref name="features"/> synchronously.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when the table lacks an input column or a numeric column holds text.</exception>
    public Predictions Predict(Table features)
    {
        var outputs = Score(features);
        if (Signature.Task == TaskKind.Regression)
        {
            return Predictions.ForValues([.. outputs.Select(o => (double)o[0])]);
        }

        var classes = MetricEvaluator.PredictedClasses(Signature.Task, outputs, Threshold);
        var labels = classes.Select(c => Signature.Classes[c]).ToArray();
        return Predictions.ForClasses(Signature.Task, Signature.Classes, labels, outputs);
    }

    /// <summary>The model's raw outputs per row (probability rows, or one value for regression).</summary>
    public float[][] Score(Table features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Model.Predict(Featurizer.Transform(features));
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
