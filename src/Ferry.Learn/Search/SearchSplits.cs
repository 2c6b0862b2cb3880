using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>How a search's rows are divided.</summary>
internal enum SplitKind
{
    /// <summary>Shuffled by seed, stratified by the label.</summary>
    Stratified,

    /// <summary>Whole groups of <see cref="SearchSettings.GroupColumn"/> per part and fold.</summary>
    Group,

    /// <summary>Ordered by <see cref="SearchSettings.TimeColumn"/>: test on the latest rows, validate forward.</summary>
    Time,
}

/// <summary>
/// Divides a search's rows with the splits of <c>Ferry.Data</c>: the untouched test rows, then the validation folds
/// (k-fold or one holdout) over the rest. A random split stratifies by the label; <c>split.group</c> keeps every group
/// in one part and one fold (group k-fold); <c>split.time</c> tests on the latest rows and validates forward (each fold
/// trains on earlier rows than it scores). Rows without a label are left out of every part.
/// </summary>
internal static class SearchSplits
{
    public const int DefaultFolds = 5;

    /// <summary>The split kind <paramref name="settings"/> ask for.</summary>
    /// <exception cref="FerryException">Usage SPLIT_CONFLICT when both a group and a time column are given.</exception>
    public static SplitKind KindOf(SearchSettings settings) => (settings.GroupColumn, settings.TimeColumn) switch
    {
        (not null, not null) => throw FerryException.Usage("SPLIT_CONFLICT",
            $"split.group ('{settings.GroupColumn}') and split.time ('{settings.TimeColumn}') are both set; choose one"),
        (not null, null) => SplitKind.Group,
        (null, not null) => SplitKind.Time,
        _ => SplitKind.Stratified,
    };

    /// <summary>The search params describing the split: its kind and column.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Params(SearchSettings settings)
    {
        var kind = KindOf(settings);
        yield return KeyValuePair.Create("split", kind.ToString().ToLowerInvariant());
        if ((settings.GroupColumn ?? settings.TimeColumn) is { } column)
        {
            yield return KeyValuePair.Create("split.column", column);
        }
    }

    /// <summary>Checks the group or time column before any split: it must exist and not be the label.</summary>
    /// <exception cref="FerryException">Usage COLUMN_NOT_FOUND or SPLIT_COLUMN_IS_LABEL.</exception>
    public static void CheckColumn(Table table, DatasetSchema schema, SearchSettings settings)
    {
        var kind = KindOf(settings);
        if (kind == SplitKind.Stratified)
        {
            return;
        }

        var (setting, column) = kind == SplitKind.Group ? ("split.group", settings.GroupColumn!) : ("split.time", settings.TimeColumn!);
        if (column == schema.Label)
        {
            throw FerryException.Usage("SPLIT_COLUMN_IS_LABEL", $"{setting} names '{column}', which is the label; name the column that holds the {(kind == SplitKind.Group ? "groups" : "times")}");
        }

        if (table.IndexOf(column) < 0)
        {
            var names = table.Columns.Select(c => $"'{c.Name}'").ToList();
            throw FerryException.Usage("COLUMN_NOT_FOUND",
                $"{setting} names column '{column}', which the data does not have; the columns are {string.Join(", ", names.Take(30))}{(names.Count > 30 ? $" and {names.Count - 30} more" : "")} (names are case-sensitive)");
        }
    }

    /// <summary>The search rows and the untouched test rows, indices into <paramref name="table"/>, and the rows left out for having no label.</summary>
    public static (int[] Search, int[] Test, int[] Excluded) Holdout(Table table, DatasetSchema schema, SearchSettings settings, List<DefaultChoice> defaults)
    {
        var seed = (ulong)settings.Seed;
        switch (KindOf(settings))
        {
            case SplitKind.Group:
                {
                    var group = settings.GroupColumn!;
                    var split = Splitter.ByGroup(table, group, 0, settings.TestShare, seed);
                    var (search, test) = (Labelled(table, schema, split.Train), Labelled(table, schema, split.Test));
                    if (search.Length == 0 || test.Length == 0)
                    {
                        throw FerryException.Invalid("SPLIT_TOO_FEW_GROUPS",
                            $"split.group '{group}' has too few groups to hold whole groups out for the test set; group by a column with more distinct values, or remove split.group");
                    }

                    defaults.Add(new("split", $"by group '{group}', test {Share(test.Length, search.Length)}",
                        $"split.group: whole groups of '{group}' are held out for the test set and each fold, so no group is both learned from and scored on"));
                    return (search, test, Unlabelled(table, schema));
                }

            case SplitKind.Time:
                {
                    var timeColumn = settings.TimeColumn!;
                    var split = Splitter.ByTime(table, timeColumn, 0, settings.TestShare);
                    var (search, test) = (Labelled(table, schema, split.Train), Labelled(table, schema, split.Test));
                    if (search.Length == 0 || test.Length == 0)
                    {
                        throw FerryException.Invalid("SPLIT_TOO_FEW_ROWS",
                            $"split.time '{timeColumn}' leaves no {(test.Length == 0 ? "test" : "training")} rows (too few distinct times); add rows or remove split.time");
                    }

                    if (split.Excluded.Length > 0)
                    {
                        defaults.Add(new("rows_without_time", split.Excluded.Length.ToString(CultureInfo.InvariantCulture),
                            $"{split.Excluded.Length} rows have no value in '{timeColumn}' and were left out: a time split cannot place them"));
                    }

                    defaults.Add(new("split", $"by time '{timeColumn}', test the latest {Share(test.Length, search.Length)}",
                        "split.time: the model is tested on rows later than every row it was searched on, and each fold validates on rows later than it trains on, as it will meet the future"));
                    return (search, test, [.. Unlabelled(table, schema).Except(split.Excluded)]);
                }

            default:
                {
                    var split = Splitter.TrainValidationTest(table, schema.Label, 0, settings.TestShare, seed);
                    defaults.Add(new("split", $"stratified, test {Share(split.Test.Length, split.Train.Length)}",
                        "no split.group or split.time given: rows are shuffled by seed with every label value in proportion in each part"));
                    return (split.Train, split.Test, split.Excluded);
                }
        }
    }

    /// <summary>Validation folds over the search rows: k-fold for small data (or when asked), else one holdout.</summary>
    /// <param name="settings">The search's settings (folds, validation share, split column, seed).</param>
    /// <param name="rows">The search rows (never the test rows).</param>
    /// <param name="stratify">The label column for classification, null for regression.</param>
    /// <param name="traits">Decides small data.</param>
    /// <param name="defaults">Where the choice is recorded, with its reason.</param>
    /// <param name="unit">What a row is, for the recorded reason ("rows", "images").</param>
    public static List<(int[] Train, int[] Validation)> Folds(SearchSettings settings, Table rows, string? stratify, DataTraits traits, List<DefaultChoice> defaults, string unit = "rows")
    {
        var kind = KindOf(settings);
        var seed = (ulong)settings.Seed + 1;
        var how = kind switch
        {
            SplitKind.Group => $" by whole groups of '{settings.GroupColumn}'",
            SplitKind.Time => $" forward in time by '{settings.TimeColumn}' (each fold trains on earlier rows than it validates on)",
            _ => "",
        };
        if (settings.Folds is null && !traits.IsSmall)
        {
            var holdout = kind switch
            {
                SplitKind.Group => Splitter.ByGroup(rows, settings.GroupColumn!, settings.ValidationShare, 0, seed),
                SplitKind.Time => Splitter.ByTime(rows, settings.TimeColumn!, settings.ValidationShare, 0),
                _ => Splitter.TrainValidationTest(rows, stratify, settings.ValidationShare, 0, seed),
            };
            if (holdout.Train.Length == 0 || holdout.Validation.Length == 0)
            {
                throw FerryException.Invalid("SPLIT_TOO_FEW_ROWS", $"the validation holdout{how} came out empty; set split.folds, or split by another column");
            }

            defaults.Add(new("validation", $"holdout {settings.ValidationShare:P0}", $"{traits.Rows:N0} {unit} are enough for one validation split{how}"));
            return [(holdout.Train, holdout.Validation)];
        }

        var k = settings.Folds ?? DefaultFolds;
        var reason = settings.Folds is null
            ? $"{traits.Rows:N0} {unit} is small data (under {DataTraits.SmallDataRows:N0}): one holdout would be too noisy to rank trials, and learners are regularised more"
            : "split.folds";
        if (settings.Folds is null || kind != SplitKind.Stratified)
        {
            defaults.Add(new("validation", $"{k}-fold cross-validation{(kind == SplitKind.Time ? " (forward-chaining)" : kind == SplitKind.Group ? " (group k-fold)" : "")}", reason + how));
        }

        var folds = kind switch
        {
            SplitKind.Group => Splitter.GroupKFold(rows, settings.GroupColumn!, k, seed),
            SplitKind.Time => Splitter.TimeFolds(rows, settings.TimeColumn!, k),
            _ => Splitter.KFold(rows, k, stratify, seed),
        };
        return [.. folds.Select(f => (f.Train, f.Validation))];
    }

    private static string? Stratify(DatasetSchema schema) => schema.Task == TaskKind.Regression ? null : schema.Label;

    private static int[] Labelled(Table table, DatasetSchema schema, int[] rows)
    {
        var label = table[schema.Label];
        return [.. rows.Where(r => !label.IsMissing(r))];
    }

    private static int[] Unlabelled(Table table, DatasetSchema schema)
    {
        var label = table[schema.Label];
        return [.. Enumerable.Range(0, table.RowCount).Where(label.IsMissing)];
    }

    private static string Share(int part, int rest) => Math.Round(100.0 * part / Math.Max(1, part + rest)).ToString(CultureInfo.InvariantCulture) + "%";
}
