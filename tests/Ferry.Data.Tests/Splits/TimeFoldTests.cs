using Ferry.Data.Splits;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

public sealed class TimeFoldTests
{
    [Fact]
    public void Each_fold_trains_on_earlier_times_and_validates_on_the_next_block()
    {
        var random = new Random(3);
        var stamps = Enumerable.Range(0, 120).Select(i => (double)(i / 2)).OrderBy(_ => random.Next()).ToArray();
        var table = SplitTestData.Single(new NumericColumn("t", stamps));

        var folds = Splitter.TimeFolds(table, "t", 5);

        Assert.Equal(5, folds.Count);
        for (var f = 0; f < folds.Count; f++)
        {
            var fold = folds[f];
            Assert.NotEmpty(fold.Train);
            Assert.NotEmpty(fold.Validation);
            Assert.True(fold.Train.Max(r => stamps[r]) < fold.Validation.Min(r => stamps[r]), $"fold {f} learns only from earlier times");
            Assert.True(fold.Train.SequenceEqual(fold.Train.Order()) && fold.Validation.SequenceEqual(fold.Validation.Order()));
            if (f > 0)
            {
                // Forward chaining: each fold's training rows are the previous fold's training and validation rows.
                Assert.Equal(folds[f - 1].Train.Concat(folds[f - 1].Validation).Order(), fold.Train);
            }
        }

        // The oldest block only trains; every later row is validated exactly once.
        var validated = folds.SelectMany(f => f.Validation).ToList();
        Assert.Equal(validated.Count, validated.Distinct().Count());
        Assert.Equal(120 - folds[0].Train.Length, validated.Count);
    }

    [Fact]
    public void Too_few_distinct_times_for_the_folds_is_refused_saying_how_many_folds_fit()
    {
        var table = SplitTestData.Single(StringColumn.FromValues("day", ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03"]));

        var error = Assert.Throws<FerryException>(() => Splitter.TimeFolds(table, "day", 5));

        Assert.Equal("SPLIT_TOO_FEW_ROWS", error.Code);
        Assert.Contains("3 distinct times", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Splitter.TimeFolds(table, "day", 2).Count);
    }

    [Fact]
    public void Missing_times_are_left_out_and_unreadable_ones_name_the_row()
    {
        var stamps = Enumerable.Range(0, 30).Select(i => i % 7 == 0 ? double.NaN : i).ToArray();
        var folds = Splitter.TimeFolds(SplitTestData.Single(new NumericColumn("t", stamps)), "t", 3);
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 7 == 0), folds[0].Excluded);
        Assert.DoesNotContain(folds.SelectMany(f => f.Train.Concat(f.Validation)), r => r % 7 == 0);

        var texts = SplitTestData.Single(StringColumn.FromValues("when", ["2024-01-01", "2024-01-02", "soon", "2024-01-04"]));
        var error = Assert.Throws<FerryException>(() => Splitter.TimeFolds(texts, "when", 2));
        Assert.Equal("SPLIT_TIME_UNPARSEABLE", error.Code);
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
    }
}
