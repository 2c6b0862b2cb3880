using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>
/// Looks for problems that make a dataset train badly or test dishonestly, each reported with a fix:
/// missing values, constant, duplicate and id-like columns, duplicate rows, imbalanced or tiny classes,
/// high-cardinality categories, infinities, rows without a label, and features that leak the label.
/// </summary>
public static class DatasetValidator
{
    /// <summary>Checks one labelled table.</summary>
    /// <param name="table">The table.</param>
    /// <param name="schema">Its schema, from <see cref="SchemaInference.Infer"/>.</param>
    /// <param name="profiles">Its column profiles, from <see cref="Profiler.ProfileAll"/>.</param>
    /// <returns>
    /// Findings, errors first then warnings then information, each group in check order. Codes: MISSING_VALUES,
    /// ALL_MISSING, CONSTANT_COLUMN, ID_COLUMN, HIGH_CARDINALITY, INFINITE_VALUES, DUPLICATE_COLUMNS, DUPLICATE_ROWS,
    /// MISSING_LABEL, CLASS_IMBALANCE, SMALL_CLASSES, LABEL_LEAK.
    /// </returns>
    public static IReadOnlyList<DataWarning> Validate(Table table, DatasetSchema schema, IReadOnlyList<ColumnProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(profiles);
        if (!table.TryGetColumn(schema.Label, out var label))
        {
            throw new ArgumentException($"the table has no label column '{schema.Label}'", nameof(schema));
        }

        var profileByName = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var warnings = new List<DataWarning>();
        var allMissing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in schema.Features)
        {
            if (!table.TryGetColumn(feature.Name, out var column))
            {
                continue;
            }

            var profile = profileByName.TryGetValue(feature.Name, out var p) ? p : Profiler.Profile(column, feature);
            if (profile.Count > 0 && profile.Missing == profile.Count)
            {
                allMissing.Add(feature.Name);
            }

            warnings.AddRange(ColumnChecks.Check(column, feature, profile));
        }

        var featureColumns = schema.Features
            .Where(f => !allMissing.Contains(f.Name) && table.IndexOf(f.Name) >= 0)
            .Select(f => table[f.Name])
            .ToList();
        warnings.AddRange(DuplicateChecks.Columns(featureColumns));
        warnings.AddRange(DuplicateChecks.Rows(table));
        warnings.AddRange(LabelChecks.MissingLabel(label));

        var classes = schema.Task == TaskKind.Regression ? null : LabelClasses.Encode(label);
        if (classes is not null)
        {
            warnings.AddRange(LabelChecks.Classes(label.Name, classes, schema.Task));
        }

        warnings.AddRange(LeakDetector.Find(table, schema, classes));
        return [.. warnings.OrderByDescending(w => w.Severity)];
    }

    /// <summary>
    /// Compares a training and a test table: SCHEMA_MISMATCH (warning) when their columns differ, and
    /// TRAIN_TEST_OVERLAP (error) with the count and example row numbers of test rows that also occur in training.
    /// Rows are matched on the columns both tables have, by canonical value.
    /// </summary>
    /// <param name="train">The training rows.</param>
    /// <param name="test">The test rows.</param>
    /// <returns>Findings, errors first.</returns>
    public static IReadOnlyList<DataWarning> CompareSplits(Table train, Table test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        return [.. SplitComparer.Compare(train, test).OrderByDescending(w => w.Severity)];
    }
}
