using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Training;

namespace Ferry.Learn.Evaluation;

/// <summary>
/// Scores a loaded model on labelled rows it never saw, as a user checks a package on new data: the predictor
/// predicts the rows and its outputs are scored against the label column its signature names. Label metrics
/// (accuracy, F1...) use the labels the predictor returns, so a binary package's tuned threshold counts.
/// </summary>
public static class HeldOutScores
{
    /// <summary>Every metric <see cref="MetricCatalog.ReportedFor"/> the predictor's task lists, on <paramref name="rows"/>.</summary>
    /// <param name="predictor">The loaded model.</param>
    /// <param name="rows">Rows with the signature's inputs and its label column; rows without a label are left out.</param>
    /// <param name="cancellationToken">Cancels the prediction.</param>
    /// <exception cref="FerryException">
    /// LABEL_COLUMN_MISSING when <paramref name="rows"/> lack the label column; LABEL_UNKNOWN_CLASS for a class the model
    /// was not trained on; INPUT_INVALID when an input column does not fit the signature.
    /// </exception>
    public static async Task<IReadOnlyDictionary<MetricKind, double>> ScoreAsync(IPredictor predictor, Table rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(rows);
        var signature = predictor.Signature;
        if (!rows.TryGetColumn(signature.Label, out var label))
        {
            throw FerryException.Invalid("LABEL_COLUMN_MISSING",
                $"the rows to score have no column '{signature.Label}', the label the model was trained on; add it to score the model");
        }

        if (label.MissingCount > 0)
        {
            var labelled = Enumerable.Range(0, rows.RowCount).Where(r => !label.IsMissing(r)).ToArray();
            rows = rows.SelectRows(labelled);
            label = rows[signature.Label];
        }

        var predictions = await predictor.PredictAsync(rows, cancellationToken);
        var schema = new DatasetSchema([], signature.Label, signature.Task, "from the model's signature", signature.Classes);
        var actual = TrainingSets.EncodeLabels(label, schema);
        if (signature.Task == TaskKind.Regression)
        {
            float[][] values = [.. predictions.Values!.Select(v => new[] { (float)v })];
            return MetricEvaluator.ScoreAll(TaskKind.Regression, actual, values);
        }

        var classIndex = signature.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var classes = actual.Select(a => (int)a).ToArray();
        var predicted = predictions.Labels!.Select(l => classIndex[l]).ToArray();
        var probabilities = predictions.Probabilities!;
        return MetricCatalog.ReportedFor(signature.Task).ToDictionary(m => m, m => MetricCatalog.UsesThreshold(m)
            ? MetricEvaluator.ScoreClasses(m, classes, predicted, signature.Classes.Count)
            : MetricEvaluator.Score(m, signature.Task, actual, probabilities));
    }
}
