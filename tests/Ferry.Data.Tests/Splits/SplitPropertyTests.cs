using Ferry.Data.Splits;
using Ferry.Data.Tables;
using FsCheck.Xunit;

namespace Ferry.Data.Tests.Splits;

public sealed class SplitPropertyTests
{
    /// <summary>A table of <paramref name="rows"/> rows with a label of up to 5 classes (some missing) and a group id.</summary>
    private static Table Build(int rows, ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(6) switch { 0 => null, var c => $"class{c}" });
        var groups = Enumerable.Range(0, rows).Select(_ => (double)random.Next(Math.Max(1, rows / 3)));
        return new Table([StringColumn.FromValues("label", labels), new NumericColumn("group", [.. groups])]);
    }

    [Property(MaxTest = 200)]
    public void Train_validation_test_is_a_partition(ushort size, byte validation, byte test, ulong seed, bool stratify)
    {
        var rows = size % 400;
        var table = Build(rows, seed);
        var split = Splitter.TrainValidationTest(table, stratify ? "label" : null, validation / 600.0, test / 600.0, seed);
        SplitTestData.AssertPartition(split, rows);
        Assert.Equal(stratify ? table["label"].MissingCount : 0, split.Excluded.Length);
    }

    [Property(MaxTest = 200)]
    public void Group_split_is_a_partition_without_leaks(ushort size, byte validation, byte test, ulong seed)
    {
        var rows = size % 400;
        var table = Build(rows, seed);
        var split = Splitter.ByGroup(table, "group", validation / 600.0, test / 600.0, seed);
        SplitTestData.AssertPartition(split, rows);
        var group = (NumericColumn)table["group"];
        var parts = new[] { split.Train, split.Validation, split.Test };
        var groupsPerPart = parts.Select(p => p.Select(r => group[r]).ToHashSet()).ToArray();
        Assert.Empty(groupsPerPart[0].Intersect(groupsPerPart[1]));
        Assert.Empty(groupsPerPart[0].Intersect(groupsPerPart[2]));
        Assert.Empty(groupsPerPart[1].Intersect(groupsPerPart[2]));
    }

    [Property(MaxTest = 200)]
    public void K_fold_validates_each_row_once(ushort size, byte folds, ulong seed)
    {
        var rows = 2 + (size % 300);
        var k = 2 + (folds % Math.Min(9, rows - 1));
        var table = Build(rows, seed);
        var result = Splitter.KFold(table, k, null, seed);
        Assert.Equal(k, result.Count);
        Assert.Equal(Enumerable.Range(0, rows), result.SelectMany(f => f.Validation).Order());
        Assert.All(result, f => Assert.Equal(rows, f.Train.Length + f.Validation.Length));
        Assert.All(result, f => Assert.Empty(f.Train.Intersect(f.Validation)));
    }

    [Property(MaxTest = 100)]
    public void Time_split_is_a_partition_in_time_order(ushort size, byte validation, byte test, ulong seed)
    {
        var rows = size % 400;
        var random = new Random((int)(seed % int.MaxValue));
        var times = Enumerable.Range(0, rows).Select(_ => (double)random.Next(50)).ToArray();
        var split = Splitter.ByTime(new Table([new NumericColumn("t", times)]), "t", validation / 600.0, test / 600.0);
        SplitTestData.AssertPartition(split, rows);
        var parts = new[] { split.Train, split.Validation, split.Test }.Where(p => p.Length > 0).ToArray();
        for (var i = 1; i < parts.Length; i++)
        {
            Assert.True(parts[i - 1].Max(r => times[r]) < parts[i].Min(r => times[r]));
        }
    }
}
