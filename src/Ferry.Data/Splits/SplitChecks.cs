using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>Argument checks shared by every split, so each failure reads and codes the same way.</summary>
internal static class SplitChecks
{
    private const int MaxListedColumns = 30;

    public static Column RequireColumn(Table table, string name)
    {
        if (table.TryGetColumn(name, out var column))
        {
            return column;
        }

        var names = table.Columns.Select(c => $"'{c.Name}'").ToList();
        var listed = names.Count <= MaxListedColumns
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(MaxListedColumns)) + $" and {names.Count - MaxListedColumns} more";
        throw FerryException.Usage(
            "COLUMN_NOT_FOUND",
            names.Count == 0
                ? $"There is no column '{name}': the table has no columns."
                : $"There is no column '{name}'. Pick one of: {listed} (names are case-sensitive).");
    }

    public static void RequireFractions(double validationFraction, double testFraction)
    {
        static bool InRange(double f) => f is >= 0 and < 1;
        if (!InRange(validationFraction) || !InRange(testFraction) || validationFraction + testFraction >= 1)
        {
            throw FerryException.Usage(
                "SPLIT_FRACTIONS",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Validation fraction {validationFraction} and test fraction {testFraction} do not leave rows to train on: ") +
                    "each must be at least 0 and below 1, and together below 1 (for example 0.15 and 0.15).");
        }
    }

    public static void RequireFoldCount(int k)
    {
        if (k < 2)
        {
            throw FerryException.Usage(
                "SPLIT_FOLDS",
                $"{k} folds cannot cross-validate: use 2 or more (5 is a good default).");
        }
    }

    /// <summary>Row counts per part from the fractions, rounded, leaving at least one training row when there are rows.</summary>
    public static (int Train, int Validation, int Test) PartSizes(int rows, double validationFraction, double testFraction)
    {
        var test = (int)Math.Round(rows * testFraction, MidpointRounding.AwayFromZero);
        var validation = (int)Math.Round(rows * validationFraction, MidpointRounding.AwayFromZero);
        while (rows > 0 && test + validation > rows - 1)
        {
            if (validation >= test)
            {
                validation--;
            }
            else
            {
                test--;
            }
        }

        return (rows - test - validation, validation, test);
    }

    public static string Percent(int part, int total) =>
        total == 0 ? "0%" : (100.0 * part / total).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Percent(double fraction) => (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
