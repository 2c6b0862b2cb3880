using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>Checks a train/test pair: columns that do not match, and test rows that also occur in training.</summary>
internal static class SplitComparer
{
    private const int Examples = 5;

    /// <summary>SCHEMA_MISMATCH and TRAIN_TEST_OVERLAP findings.</summary>
    public static List<DataWarning> Compare(Table train, Table test)
    {
        var warnings = new List<DataWarning>();
        var common = train.Columns.Select(c => c.Name).Where(n => test.IndexOf(n) >= 0).ToList();
        var onlyTrain = train.Columns.Select(c => c.Name).Where(n => test.IndexOf(n) < 0).ToList();
        var onlyTest = test.Columns.Select(c => c.Name).Where(n => train.IndexOf(n) < 0).ToList();
        if (onlyTrain.Count > 0 || onlyTest.Count > 0)
        {
            var parts = new List<string>();
            if (onlyTrain.Count > 0)
            {
                parts.Add($"only in train: {Quote(onlyTrain)}");
            }

            if (onlyTest.Count > 0)
            {
                parts.Add($"only in test: {Quote(onlyTest)}");
            }

            warnings.Add(new DataWarning(
                "SCHEMA_MISMATCH", WarningSeverity.Warning,
                $"train and test have different columns ({string.Join("; ", parts)}); rows are compared on the {common.Count} shared columns",
                "export both sets from the same source with the same columns; a model needs every training column at prediction time",
                [.. onlyTrain, .. onlyTest]));
        }

        if (common.Count == 0 || train.RowCount == 0 || test.RowCount == 0)
        {
            return warnings;
        }

        var keys = new RowKeys([.. common.Select(n => train[n])], [.. common.Select(n => test[n])]);
        var seen = new HashSet<RowKeys.RowRef>(train.RowCount, keys);
        for (var r = 0; r < train.RowCount; r++)
        {
            seen.Add(new RowKeys.RowRef(0, r));
        }

        var overlap = 0;
        var examples = new List<int>();
        for (var r = 0; r < test.RowCount; r++)
        {
            if (seen.Contains(new RowKeys.RowRef(1, r)))
            {
                overlap++;
                if (examples.Count < Examples)
                {
                    examples.Add(r + 1);
                }
            }
        }

        if (overlap > 0)
        {
            warnings.Add(new DataWarning(
                "TRAIN_TEST_OVERLAP", WarningSeverity.Error,
                $"{overlap} of {test.RowCount} test rows ({(double)overlap / test.RowCount:0.0%}) also appear in the training set (test rows {string.Join(", ", examples)}{(overlap > examples.Count ? ", ..." : "")}; numbered from 1)",
                "remove those rows from the test set, or deduplicate before splitting, so the test score measures rows the model has not seen",
                common));
        }

        return warnings;
    }

    private static string Quote(List<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
