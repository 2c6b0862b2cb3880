using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>Findings about the label: rows without one, imbalanced and small classes.</summary>
internal static class LabelChecks
{
    /// <summary>Majority/minority ratio at which imbalance is a warning.</summary>
    public const double ImbalanceWarningRatio = 3;

    /// <summary>Majority/minority ratio at which imbalance is worth knowing.</summary>
    public const double ImbalanceInfoRatio = 1.5;

    /// <summary>Classes with fewer rows than this are too small to learn or test reliably.</summary>
    public const int SmallClassRows = 10;

    /// <summary>MISSING_LABEL: rows whose label is empty.</summary>
    public static IEnumerable<DataWarning> MissingLabel(Column label)
    {
        if (label.MissingCount == 0)
        {
            yield break;
        }

        yield return new DataWarning(
            "MISSING_LABEL", WarningSeverity.Warning,
            $"{label.MissingCount} of {label.Length} rows have no value for label '{label.Name}'; rows with no label will be dropped",
            $"fill in '{label.Name}' for those rows if you can, or remove them to make the drop explicit",
            [label.Name]);
    }

    /// <summary>CLASS_IMBALANCE and SMALL_CLASSES for a classification label.</summary>
    public static IEnumerable<DataWarning> Classes(string label, LabelClasses classes, TaskKind task)
    {
        if (task == TaskKind.Regression || classes.Names.Count < 2)
        {
            yield break;
        }

        var order = Enumerable.Range(0, classes.Names.Count).OrderByDescending(i => classes.Counts[i]).ToList();
        var major = order[0];
        var minor = order[^1];
        var ratio = (double)classes.Counts[major] / classes.Counts[minor];
        if (ratio >= ImbalanceInfoRatio)
        {
            yield return new DataWarning(
                "CLASS_IMBALANCE",
                ratio >= ImbalanceWarningRatio ? WarningSeverity.Warning : WarningSeverity.Info,
                $"label '{label}' is imbalanced: '{classes.Names[major]}' has {classes.Counts[major]} rows, '{classes.Names[minor]}' {classes.Counts[minor]} ({ratio:0.#} : 1)",
                ratio >= ImbalanceWarningRatio
                    ? $"judge models by macro-F1 or ROC-AUC rather than accuracy, split with stratification, and consider class weights or more '{classes.Names[minor]}' rows"
                    : "split with stratification and prefer macro-F1 to accuracy",
                [label]);
        }

        var small = order.Where(i => classes.Counts[i] < SmallClassRows).Reverse().ToList();
        if (small.Count > 0)
        {
            var listed = string.Join(", ", small.Take(10).Select(i => $"'{classes.Names[i]}' ({classes.Counts[i]})"));
            if (small.Count > 10)
            {
                listed += $", and {small.Count - 10} more";
            }

            yield return new DataWarning(
                "SMALL_CLASSES", WarningSeverity.Warning,
                $"label '{label}' has {small.Count} {(small.Count == 1 ? "class" : "classes")} with fewer than {SmallClassRows} rows: {listed}",
                "collect more rows for them, merge them into a related class, or drop them; a model cannot learn, and a test set cannot measure, a class it barely sees",
                [label]);
        }
    }
}
