using Ferry.Data.Splits;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

public sealed class TrainValidationTestSplitTests
{
    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var a = Splitter.TrainValidationTest(table, "label", 0.2, 0.2, 42);
        var b = Splitter.TrainValidationTest(table, "label", 0.2, 0.2, 42);
        var c = Splitter.TrainValidationTest(table, "label", 0.2, 0.2, 43);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Theory]
    [InlineData("iris.csv", 0.15, 0.15)]
    [InlineData("wine.csv", 0.1, 0.2)]
    [InlineData("digits.csv", 0.2, 0.2)]
    [InlineData("breast_cancer.csv", 0, 0.25)]
    [InlineData("penguins.csv", 0.3, 0.1)]
    public void Each_class_keeps_its_share_of_every_part_within_one_row(string sample, double validationFraction, double testFraction)
    {
        var table = TestSamples.ReadNaive(sample);
        var split = Splitter.TrainValidationTest(table, "label", validationFraction, testFraction, 3);
        SplitTestData.AssertPartition(split, table.RowCount);

        // digits has numeric labels 0-9, the others text labels: compare by canonical text either way.
        var labels = table["label"];
        foreach (var cls in Enumerable.Range(0, table.RowCount).Select(labels.GetText).Distinct())
        {
            var size = Enumerable.Range(0, table.RowCount).Count(r => labels.GetText(r) == cls);
            Assert.InRange(split.Test.Count(r => labels.GetText(r) == cls), (size * testFraction) - 1, (size * testFraction) + 1);
            Assert.InRange(split.Validation.Count(r => labels.GetText(r) == cls), (size * validationFraction) - 1, (size * validationFraction) + 1);
        }

        // Totals match the requested sizes exactly.
        Assert.Equal((int)Math.Round(table.RowCount * testFraction, MidpointRounding.AwayFromZero), split.Test.Length);
        Assert.Equal((int)Math.Round(table.RowCount * validationFraction, MidpointRounding.AwayFromZero), split.Validation.Length);
    }

    [Fact]
    public void Rows_with_a_missing_stratify_value_are_excluded_and_noted()
    {
        var table = TestSamples.ReadNaive("penguins.csv");
        var sex = table["sex"];
        var split = Splitter.TrainValidationTest(table, "sex", 0.2, 0.2, 1);

        Assert.Equal(Enumerable.Range(0, table.RowCount).Where(sex.IsMissing), split.Excluded);
        Assert.Equal(11, split.Excluded.Length);
        Assert.Contains(split.Notes, n => n.Contains("11 rows", StringComparison.Ordinal) && n.Contains("'sex'", StringComparison.Ordinal));
        SplitTestData.AssertPartition(split, table.RowCount);
    }

    [Fact]
    public void A_continuous_label_is_stratified_by_quantile_bins()
    {
        var table = TestSamples.ReadNaive("diabetes.csv");
        var target = (NumericColumn)table["target"];
        var split = Splitter.TrainValidationTest(table, "target", 0.0, 0.2, 11);

        Assert.Contains(split.Notes, n => n.Contains("quantile bins", StringComparison.Ordinal));

        // Each decile of the target, by rank, sends about a fifth of its rows to test.
        var byRank = Enumerable.Range(0, table.RowCount).OrderBy(r => target[r]).ToArray();
        var test = split.Test.ToHashSet();
        for (var decile = 0; decile < 10; decile++)
        {
            var rows = byRank[(decile * byRank.Length / 10)..((decile + 1) * byRank.Length / 10)];
            Assert.InRange(rows.Count(test.Contains), (rows.Length * 0.2) - 3, (rows.Length * 0.2) + 3);
        }
    }

    [Fact]
    public void A_numeric_label_with_few_values_is_stratified_by_value()
    {
        // 0/1 label: 90 zeros, 10 ones. Unstratified, a 20% test would often miss the proportion by more than a row.
        var values = Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? 1.0 : 0.0).ToArray();
        var table = SplitTestData.Single(new NumericColumn("y", values));
        for (ulong seed = 0; seed < 20; seed++)
        {
            var split = Splitter.TrainValidationTest(table, "y", 0.2, 0.2, seed);
            Assert.Equal(2, split.Test.Count(r => values[r] == 1));
            Assert.Equal(2, split.Validation.Count(r => values[r] == 1));
        }
    }

    [Fact]
    public void A_class_with_a_single_row_stays_in_train()
    {
        string?[] labels = [.. Enumerable.Repeat("common", 30), "rare"];
        var table = SplitTestData.Single(StringColumn.FromValues("label", labels));
        for (ulong seed = 0; seed < 10; seed++)
        {
            var split = Splitter.TrainValidationTest(table, "label", 0.3, 0.3, seed);
            Assert.Contains(30, split.Train);
            SplitTestData.AssertPartition(split, table.RowCount);
        }
    }

    [Fact]
    public void Without_stratification_sizes_follow_the_fractions()
    {
        var table = SplitTestData.Single(new NumericColumn("x", new double[1000]));
        var split = Splitter.TrainValidationTest(table, null, 0.15, 0.25, 5);
        Assert.Equal((600, 150, 250), (split.Train.Length, split.Validation.Length, split.Test.Length));
        Assert.Empty(split.Excluded);
        SplitTestData.AssertPartition(split, 1000);
    }

    [Fact]
    public void Zero_fractions_put_every_row_in_train()
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var split = Splitter.TrainValidationTest(table, "label", 0, 0, 5);
        Assert.Equal(Enumerable.Range(0, 150), split.Train);
        Assert.Empty(split.Validation);
        Assert.Empty(split.Test);
    }

    [Theory]
    [InlineData(-0.1, 0.2)]
    [InlineData(0.2, 1.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.7, 0.4)]
    [InlineData(double.NaN, 0.1)]
    public void Bad_fractions_are_a_usage_error(double validationFraction, double testFraction)
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var error = Assert.Throws<FerryException>(() => Splitter.TrainValidationTest(table, "label", validationFraction, testFraction, 1));
        Assert.Equal(("SPLIT_FRACTIONS", ErrorKind.Usage), (error.Code, error.Kind));
        Assert.Contains("below 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_column_is_a_usage_error_listing_the_columns()
    {
        var table = TestSamples.ReadNaive("iris.csv");
        var error = Assert.Throws<FerryException>(() => Splitter.TrainValidationTest(table, "Label", 0.2, 0.2, 1));
        Assert.Equal(("COLUMN_NOT_FOUND", ErrorKind.Usage), (error.Code, error.Kind));
        Assert.Contains("'Label'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'sepal_length_cm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'label'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_applies_the_same_split_as_the_direct_call()
    {
        var table = TestSamples.ReadNaive("wine.csv");
        var direct = Splitter.TrainValidationTest(table, "label", 0.1, 0.2, 9);
        var planned = Splitter.Apply(table, new SplitPlan(SplitStrategy.Stratified, "label", 0.1, 0.2, 9));
        Assert.Equal(direct.Test, planned.Test);
        Assert.Equal(direct.Validation, planned.Validation);

        var error = Assert.Throws<FerryException>(() => Splitter.Apply(table, new SplitPlan(SplitStrategy.Time, null, 0.1, 0.2, 9)));
        Assert.Equal("SPLIT_COLUMN_REQUIRED", error.Code);
    }
}
