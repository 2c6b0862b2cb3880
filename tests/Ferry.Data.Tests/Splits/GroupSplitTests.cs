using Ferry.Data.Splits;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

public sealed class GroupSplitTests
{
    /// <summary>Customers c0..c(groups-1) with 1 to 9 rows each, rows interleaved.</summary>
    private static (Table Table, string?[] Groups) Customers(int groups, int seed)
    {
        var random = new Random(seed);
        var rows = new List<string?>();
        for (var g = 0; g < groups; g++)
        {
            rows.AddRange(Enumerable.Repeat<string?>($"c{g}", random.Next(1, 10)));
        }

        var shuffled = rows.OrderBy(_ => random.Next()).ToArray();
        return (SplitTestData.Single(StringColumn.FromValues("customer", shuffled)), shuffled);
    }

    private static void AssertNoGroupLeaks(string?[] groups, params int[][] parts)
    {
        var partOfGroup = new Dictionary<string, int>();
        for (var p = 0; p < parts.Length; p++)
        {
            foreach (var row in parts[p])
            {
                if (groups[row] is { } g)
                {
                    Assert.Equal(p, partOfGroup.TryGetValue(g, out var seen) ? seen : partOfGroup[g] = p);
                }
            }
        }
    }

    [Fact]
    public void No_group_is_in_two_parts_and_fractions_are_close()
    {
        var (table, groups) = Customers(300, 1);
        var split = Splitter.ByGroup(table, "customer", 0.15, 0.2, 5);
        SplitTestData.AssertPartition(split, table.RowCount);
        AssertNoGroupLeaks(groups, split.Train, split.Validation, split.Test);
        Assert.InRange((double)split.Validation.Length / table.RowCount, 0.13, 0.17);
        Assert.InRange((double)split.Test.Length / table.RowCount, 0.18, 0.22);
    }

    [Fact]
    public void Same_seed_same_split_and_another_seed_a_different_one()
    {
        var (table, _) = Customers(100, 2);
        var a = Splitter.ByGroup(table, "customer", 0.2, 0.2, 1);
        var b = Splitter.ByGroup(table, "customer", 0.2, 0.2, 1);
        var c = Splitter.ByGroup(table, "customer", 0.2, 0.2, 2);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public void Numeric_group_ids_work_and_missing_ids_are_groups_of_their_own()
    {
        var ids = Enumerable.Range(0, 200).Select(i => i % 25 == 0 ? double.NaN : i % 40).ToArray();
        var table = SplitTestData.Single(new NumericColumn("patient", ids));
        var split = Splitter.ByGroup(table, "patient", 0.2, 0.2, 3);
        SplitTestData.AssertPartition(split, 200);
        AssertNoGroupLeaks([.. ids.Select(NumericColumn.Format)], split.Train, split.Validation, split.Test);
        Assert.Contains(split.Notes, n => n.Contains("8 rows have no value in 'patient'", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_k_fold_validates_every_row_once_and_keeps_groups_whole()
    {
        var (table, groups) = Customers(60, 3);
        var folds = Splitter.GroupKFold(table, "customer", 5, 4);
        Assert.Equal(Enumerable.Range(0, table.RowCount), folds.SelectMany(f => f.Validation).Order());
        AssertNoGroupLeaks(groups, [.. folds.Select(f => f.Validation)]);
        foreach (var fold in folds)
        {
            Assert.NotEmpty(fold.Validation);
            Assert.Equal(Enumerable.Range(0, table.RowCount).Except(fold.Validation), fold.Train);
            AssertNoGroupLeaks(groups, fold.Train, fold.Validation);
        }
    }

    [Fact]
    public void More_folds_than_groups_is_explained()
    {
        var table = SplitTestData.Single(StringColumn.FromValues("site", ["a", "a", "b", "c", "c", "c"]));
        var error = Assert.Throws<FerryException>(() => Splitter.GroupKFold(table, "site", 4, 1));
        Assert.Equal(("SPLIT_TOO_FEW_GROUPS", ErrorKind.InvalidInput), (error.Code, error.Kind));
        Assert.Contains("3 folds or fewer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_group_column_is_a_usage_error()
    {
        var table = SplitTestData.Single(StringColumn.FromValues("site", ["a", "b"]));
        var error = Assert.Throws<FerryException>(() => Splitter.ByGroup(table, "customer", 0.2, 0.2, 1));
        Assert.Equal(("COLUMN_NOT_FOUND", ErrorKind.Usage), (error.Code, error.Kind));
        Assert.Contains("'site'", error.Message, StringComparison.Ordinal);
    }
}
