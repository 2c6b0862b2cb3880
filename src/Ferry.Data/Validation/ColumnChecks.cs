using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>Findings about single feature columns: missing values, constants, ids, high cardinality, infinities.</summary>
internal static class ColumnChecks
{
    /// <summary>Missing shares at or above this are a warning; below, information.</summary>
    public const double MissingWarningShare = 0.05;

    /// <summary>A categorical column with more distinct values than this share of its rows is high-cardinality.</summary>
    public const double HighCardinalityShare = 0.5;

    /// <summary>High cardinality is only reported from this many distinct values on.</summary>
    public const int HighCardinalityMinDistinct = 10;

    /// <summary>The findings for one feature.</summary>
    public static IEnumerable<DataWarning> Check(Column column, ColumnSchema schema, ColumnProfile profile)
    {
        var name = column.Name;
        var rows = profile.Count;
        var present = rows - profile.Missing;
        if (rows > 0 && profile.Missing == rows)
        {
            yield return new DataWarning(
                "ALL_MISSING", WarningSeverity.Warning, $"column '{name}' has no values: all {rows} rows are empty",
                $"drop '{name}', or fix the export that produced it", [name]);
            yield break;
        }

        if (profile.Missing > 0)
        {
            var share = (double)profile.Missing / rows;
            var fix = schema.Kind is ColumnKind.Numeric
                ? $"impute the missing values of '{name}' (the median is a safe default) or drop rows that lack it"
                : $"fill the missing values of '{name}' with its most frequent value or an explicit \"missing\" category, or drop rows that lack it";
            if (share >= 0.5)
            {
                fix += $"; with {share:0%} missing, dropping the column may be better";
            }

            yield return new DataWarning(
                "MISSING_VALUES",
                share >= MissingWarningShare ? WarningSeverity.Warning : WarningSeverity.Info,
                $"column '{name}' has {profile.Missing} missing values ({share:0.0%} of {rows} rows)",
                fix,
                [name]);
        }

        if (profile.Distinct == 1)
        {
            var value = profile.TopValues.Count > 0 ? profile.TopValues[0].Value : column.GetText(FirstPresent(column));
            var also = profile.Missing > 0 ? $" (the other {profile.Missing} rows are empty)" : "";
            yield return new DataWarning(
                "CONSTANT_COLUMN", WarningSeverity.Warning, $"column '{name}' holds the single value '{value}' in every row{also}",
                $"drop '{name}': a value that never changes carries no signal", [name]);
        }

        if (schema.Kind == ColumnKind.IdLike)
        {
            yield return new DataWarning(
                "ID_COLUMN", WarningSeverity.Warning, $"column '{name}' looks like an identifier ({schema.Reason})",
                $"drop '{name}' before training: ids are unique per row, so a model can only memorise them, and new rows bring new ids",
                [name]);
        }

        if (schema.Kind == ColumnKind.Categorical && profile.Distinct >= HighCardinalityMinDistinct
            && profile.Distinct > present * HighCardinalityShare)
        {
            yield return new DataWarning(
                "HIGH_CARDINALITY", WarningSeverity.Warning,
                $"column '{name}' has {profile.Distinct} distinct values in {present} rows ({(double)profile.Distinct / present:0%}): most values occur once or twice",
                $"group rare values of '{name}' into an \"other\" category, extract a coarser feature from it, or drop it; one-hot encoding it would make {profile.Distinct} sparse features that do not generalise",
                [name]);
        }

        if (column is NumericColumn numeric && CountInfinite(numeric) is var infinite and > 0)
        {
            yield return new DataWarning(
                "INFINITE_VALUES", WarningSeverity.Warning,
                $"column '{name}' has {infinite} infinite values; they are left out of its statistics",
                $"replace the infinities in '{name}' (often a division by zero upstream) with a missing value or a capped number",
                [name]);
        }
    }

    private static int CountInfinite(NumericColumn column)
    {
        var n = 0;
        foreach (var v in column.Values)
        {
            if (double.IsInfinity(v))
            {
                n++;
            }
        }

        return n;
    }

    private static int FirstPresent(Column column)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (!column.IsMissing(r))
            {
                return r;
            }
        }

        return 0;
    }
}
