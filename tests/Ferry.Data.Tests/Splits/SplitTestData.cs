using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

/// <summary>Finds the repository's samples and builds small tables for split tests.</summary>
internal static class SplitTestData
{
    public static Table Single(Column column) => new([column]);

    /// <summary>Checks a split's parts and excluded rows are disjoint, sorted and together hold every row once.</summary>
    public static void AssertPartition(Ferry.Data.Splits.Split split, int rowCount)
    {
        int[][] parts = [split.Train, split.Validation, split.Test, split.Excluded];
        foreach (var part in parts)
        {
            Assert.True(part.SequenceEqual(part.Order()), "each part is sorted ascending");
        }

        var all = parts.SelectMany(p => p).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, rowCount), all);
    }
}
