using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// Decides the learning task from the label column, or checks a task the caller asked for.
/// A numeric label with exactly two values is binary (even 0.5/1.5: regressing two values teaches nothing);
/// otherwise non-integer or more than <see cref="MaxIntegerClasses"/> distinct values make it regression.
/// </summary>
internal static class TaskRules
{
    /// <summary>An integer label with more distinct values than this is treated as a quantity, not classes.</summary>
    public const int MaxIntegerClasses = 20;

    /// <summary>More classes than this cannot be learned from a table of this kind; it is almost surely the wrong column.</summary>
    public const int MaxClasses = 1000;

    /// <summary>The task, why, and the sorted classes (empty for regression).</summary>
    public static (TaskKind Task, string Reason, IReadOnlyList<string> Classes) Decide(ColumnFacts label, TaskKind? requested)
    {
        var name = label.Column.Name;
        if (label.NonMissing == 0)
        {
            throw FerryException.Invalid(
                "LABEL_EMPTY", $"label '{name}' has no values: every row is empty; check the file or pick another label with --label");
        }

        // Sorting a million distinct regression targets costs more than the rest of inference: only on demand.
        var classNames = new Lazy<List<string>>(() => ClassNames(label));
        if (label.Distinct == 1)
        {
            throw FerryException.Invalid(
                "LABEL_SINGLE_CLASS", $"label '{name}' has one value '{classNames.Value[0]}': nothing to learn; check the file or the label");
        }

        return requested is { } task ? Check(label, task, classNames) : Guess(label, classNames);
    }

    private static (TaskKind, string, IReadOnlyList<string>) Guess(ColumnFacts label, Lazy<List<string>> lazyNames)
    {
        var name = label.Column.Name;
        var distinct = label.Distinct;
        if (distinct == 2)
        {
            var pair = lazyNames.Value;
            return (TaskKind.Binary, $"label '{name}' has 2 distinct values ('{pair[0]}', '{pair[1]}'), so binary classification", pair);
        }

        if (label.IsNumeric)
        {
            if (!label.AllInteger)
            {
                return (TaskKind.Regression, $"label '{name}' is numeric with non-integer values ({distinct} distinct), so regression", []);
            }

            if (distinct > MaxIntegerClasses)
            {
                return (TaskKind.Regression, $"label '{name}' is numeric with {distinct} distinct values, so regression", []);
            }

            return (TaskKind.Multiclass, $"label '{name}' holds whole numbers with {distinct} distinct values, so multiclass classification", lazyNames.Value);
        }

        CheckClassCount(label, lazyNames);
        return (TaskKind.Multiclass, $"label '{name}' holds text with {distinct} distinct values, so multiclass classification", lazyNames.Value);
    }

    private static (TaskKind, string, IReadOnlyList<string>) Check(ColumnFacts label, TaskKind task, Lazy<List<string>> lazyNames)
    {
        var name = label.Column.Name;
        var distinct = label.Distinct;
        switch (task)
        {
            case TaskKind.Regression when !label.IsNumeric:
                throw FerryException.Invalid(
                    "LABEL_NOT_NUMERIC",
                    $"label '{name}' holds text (for example {Examples(lazyNames.Value)}), so it cannot be a regression target; use binary or multiclass classification, or fix the values that are not numbers");
            case TaskKind.Regression:
                return (TaskKind.Regression, $"task set to regression; label '{name}' is numeric with {distinct} distinct values", []);
            case TaskKind.Binary when distinct != 2:
                throw FerryException.Invalid(
                    "LABEL_NOT_BINARY",
                    $"label '{name}' has {distinct} classes ({Examples(lazyNames.Value)}), but binary classification needs exactly 2; use multiclass");
            case TaskKind.Binary:
                return (TaskKind.Binary, $"task set to binary classification; label '{name}' has 2 classes", lazyNames.Value);
            default:
                CheckClassCount(label, lazyNames);
                return (TaskKind.Multiclass, $"task set to multiclass classification; label '{name}' has {distinct} classes", lazyNames.Value);
        }
    }

    private static void CheckClassCount(ColumnFacts label, Lazy<List<string>> lazyNames)
    {
        if (label.Distinct <= MaxClasses)
        {
            return;
        }

        var classNames = lazyNames.Value;
        var numbers = classNames.Count(c => ClassOrder.TryNumber(c, out _));
        var hint = label.IsNumeric
            ? "use --task regression if it is a quantity"
            : numbers * 2 > classNames.Count
                ? $"most values are numbers, so the few that are not ({Examples(classNames.Where(c => !ClassOrder.TryNumber(c, out _)).ToList())}) may be what made it text; fix them for regression"
                : "check that the label column is the right one";
        throw FerryException.Invalid(
            "LABEL_TOO_MANY_CLASSES",
            $"label '{label.Column.Name}' has {label.Distinct} distinct values, too many classes to learn (at most {MaxClasses}); {hint}");
    }

    private static List<string> ClassNames(ColumnFacts label)
    {
        if (label.Column is NumericColumn numeric)
        {
            var counts = label.NumericCounts ?? DoubleCounter.CountValues(numeric.Values)!;
            return [.. counts.SortedValues().Select(v => NumericColumn.Format(v)!)];
        }

        var column = (StringColumn)label.Column;
        return ClassOrder.Sort(label.UsedCodes().Select(code => column.Dictionary[code]));
    }

    private static string Examples(List<string> values)
    {
        var shown = string.Join(", ", values.Take(5).Select(v => $"'{v}'"));
        return values.Count > 5 ? $"{shown}, ..." : shown;
    }
}
