using Ferry.Data.Schema;

namespace Ferry.Learn;

/// <summary>
/// What a predictor returns for a batch. Classification fills <see cref="Labels"/> and
/// <see cref="Probabilities"/> (one row per input row, one column per class in <see cref="Classes"/> order);
/// regression fills <see cref="Values"/>.
/// </summary>
public sealed class Predictions
{
    private Predictions(TaskKind task, IReadOnlyList<string> classes, string[]? labels, float[][]? probabilities, double[]? values)
    {
        Task = task;
        Classes = classes;
        Labels = labels;
        Probabilities = probabilities;
        Values = values;
    }

    /// <summary>The task the model solves.</summary>
    public TaskKind Task { get; }

    /// <summary>The class labels in the order of the probability columns; empty for regression.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The predicted class per row (after the model's decision threshold); null for regression.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>Class probabilities per row, each summing to 1; null for regression.</summary>
    public IReadOnlyList<float[]>? Probabilities { get; }

    /// <summary>The predicted value per row; null for classification.</summary>
    public IReadOnlyList<double>? Values { get; }

    /// <summary>How many rows were predicted.</summary>
    public int Count => Labels?.Count ?? Values?.Count ?? 0;

    /// <summary>Classification results: a label and a probability per class for each row.</summary>
    public static Predictions ForClasses(TaskKind task, IReadOnlyList<string> classes, string[] labels, float[][] probabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (task == TaskKind.Regression || labels.Length != probabilities.Length)
        {
            throw new ArgumentException($"classification predictions need a classification task and one probability row per label (got {task}, {labels.Length} labels, {probabilities.Length} rows)");
        }

        return new Predictions(task, classes, labels, probabilities, null);
    }

    /// <summary>Regression results: one value per row.</summary>
    public static Predictions ForValues(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Predictions(TaskKind.Regression, [], null, null, values);
    }
}
