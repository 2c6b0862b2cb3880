using Ferry.Data.Schema;

namespace Ferry.Learn.Training;

/// <summary>Refuses training data a learner fitting its own model (a network, ridge) cannot learn from, with a message saying what to fix.</summary>
internal static class TrainingChecks
{
    /// <summary>Checks rows, labels, weights and (for tables) that every feature is a finite number.</summary>
    public static void Check(TrainingSet train, string learner)
    {
        ArgumentNullException.ThrowIfNull(train);
        var rows = train.Features.Rows;
        if (rows == 0 || train.Features.Columns == 0)
        {
            throw FerryException.Invalid("TRAINING_EMPTY", $"{learner} got {rows} rows of {train.Features.Columns} features; it needs at least one row and one feature");
        }

        var bad = Array.FindIndex(train.Features.Values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw FerryException.Invalid(
                "FEATURES_NOT_FINITE",
                $"feature '{train.Features.Names[bad % train.Features.Columns]}' is {train.Features.Values[bad]} in row {(bad / train.Features.Columns) + 1}; {learner} needs imputed, finite features");
        }

        CheckLabels(train.Labels, train.Weights, rows, train.Task, train.Classes.Count, learner);
    }

    /// <summary>Checks labels (class indices or finite values) and optional row weights.</summary>
    public static void CheckLabels(float[] labels, float[]? weights, int rows, TaskKind task, int classes, string learner)
    {
        if (labels.Length != rows || (weights is not null && weights.Length != rows))
        {
            throw new ArgumentException($"{labels.Length} labels and {weights?.Length ?? rows} weights for {rows} rows");
        }

        if (task != TaskKind.Regression && classes < 2)
        {
            throw FerryException.Invalid("LABEL_ONE_CLASS", $"the label has {classes} class; {learner} needs at least two classes to tell apart");
        }

        var badLabel = task == TaskKind.Regression
            ? Array.FindIndex(labels, l => !float.IsFinite(l))
            : Array.FindIndex(labels, l => !(l >= 0 && l < classes && l == MathF.Floor(l)));
        if (badLabel >= 0)
        {
            throw FerryException.Invalid("LABEL_INVALID", $"row {badLabel + 1} has label {labels[badLabel]}, which is not {(task == TaskKind.Regression ? "a finite number" : $"a class index from 0 to {classes - 1}")}");
        }

        if (weights is not null && (Array.FindIndex(weights, w => !(w >= 0 && float.IsFinite(w))) is var badWeight and >= 0))
        {
            throw FerryException.Invalid("WEIGHT_INVALID", $"row {badWeight + 1} has weight {weights[badWeight]}; row weights must be finite and not negative");
        }
    }
}
