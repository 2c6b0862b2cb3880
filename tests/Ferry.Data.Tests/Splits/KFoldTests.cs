using Ferry.Data.Splits;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

public sealed class KFoldTests
{
    [Theory]
    [InlineData("iris.csv", 5)]
    [InlineData("wine.csv", 3)]
    [InlineData("penguins.csv", 10)]
    public void Every_row_is_validated_exactly_once_and_classes_spread_evenly(string sample, int k)
    {
        var table = TestSamples.ReadNaive(sample);
        var folds = Splitter.KFold(table, k, "label", 17);
        Assert.Equal(Enumerable.Range(0, k), folds.Select(f => f.Index));

        var validated = folds.SelectMany(f => f.Validation).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, table.RowCount), validated);
        foreach (var fold in folds)
        {
            Assert.Equal(Enumerable.Range(0, table.RowCount).Except(fold.Validation), fold.Train);
            Assert.True(fold.Validation.SequenceEqual(fold.Validation.Order()));
        }

        var sizes = folds.Select(f => f.Validation.Length).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, $"fold sizes {string.Join(",", sizes)}");

        var labels = (StringColumn)table["label"];
        foreach (var cls in labels.Dictionary)
        {
            var perFold = folds.Select(f => f.Validation.Count(r => labels[r] == cls)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {cls}: {string.Join(",", perFold)}");
        }
    }

    [Fact]
    public void Same_seed_same_folds_and_another_seed_different_folds()
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var a = Splitter.KFold(table, 5, "label", 1);
        var b = Splitter.KFold(table, 5, "label", 1);
        var c = Splitter.KFold(table, 5, "label", 2);
        Assert.Equal(a.Select(f => f.Validation), b.Select(f => f.Validation));
        Assert.NotEqual(a[0].Validation, c[0].Validation);
    }

    [Fact]
    public void Rows_missing_the_stratify_value_are_in_no_fold()
    {
        var table = TestSamples.ReadNaive("penguins.csv");
        var folds = Splitter.KFold(table, 4, "sex", 1);
        var missing = Enumerable.Range(0, table.RowCount).Where(table["sex"].IsMissing).ToArray();
        Assert.All(folds, f => Assert.Equal(missing, f.Excluded));
        Assert.All(folds, f => Assert.Empty(f.Train.Intersect(missing)));
        Assert.Equal(Enumerable.Range(0, table.RowCount).Except(missing), folds.SelectMany(f => f.Validation).Order());
    }

    [Fact]
    public void Unstratified_folds_cover_every_row()
    {
        var table = SplitTestData.Single(new NumericColumn("x", new double[23]));
        var folds = Splitter.KFold(table, 4, null, 8);
        Assert.Equal(Enumerable.Range(0, 23), folds.SelectMany(f => f.Validation).Order());
        Assert.Equal([6, 6, 6, 5], folds.Select(f => f.Validation.Length).OrderDescending());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void Fewer_than_two_folds_is_a_usage_error(int k)
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var error = Assert.Throws<FerryException>(() => Splitter.KFold(table, k, null, 1));
        Assert.Equal(("SPLIT_FOLDS", ErrorKind.Usage), (error.Code, error.Kind));
    }

    [Fact]
    public void More_folds_than_rows_says_how_many_to_use()
    {
        var table = SplitTestData.Single(new NumericColumn("x", new double[4]));
        var error = Assert.Throws<FerryException>(() => Splitter.KFold(table, 5, null, 1));
        Assert.Equal(("SPLIT_TOO_FEW_ROWS", ErrorKind.InvalidInput), (error.Code, error.Kind));
        Assert.Contains("4 folds or fewer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_folds_than_the_smallest_class_names_the_class_and_a_fold_count()
    {
        string?[] labels = [.. Enumerable.Repeat("cat", 20), .. Enumerable.Repeat("<dog>", 3)];
        var table = SplitTestData.Single(StringColumn.FromValues("label", labels));
        var error = Assert.Throws<FerryException>(() => Splitter.KFold(table, 5, "label", 1));
        Assert.Equal(("SPLIT_TOO_FEW_ROWS", ErrorKind.InvalidInput), (error.Code, error.Kind));
        Assert.Contains("'<dog>'", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 folds or fewer", error.Message, StringComparison.Ordinal);

        // The same folds work unstratified, and with as many folds as the class has rows.
        Assert.Equal(5, Splitter.KFold(table, 5, null, 1).Count);
        Assert.Equal(3, Splitter.KFold(table, 3, "label", 1).Count);
    }
}
