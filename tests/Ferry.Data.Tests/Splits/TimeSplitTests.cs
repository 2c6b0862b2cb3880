using System.Globalization;
using Ferry.Data.Splits;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Splits;

public sealed class TimeSplitTests
{
    private static void AssertOrdered<T>(Split split, Func<int, T> time)
        where T : IComparable<T>
    {
        if (split.Train.Length > 0 && split.Validation.Length > 0)
        {
            Assert.True(split.Train.Max(time)!.CompareTo(split.Validation.Min(time)) < 0, "train before validation");
        }

        if (split.Validation.Length > 0 && split.Test.Length > 0)
        {
            Assert.True(split.Validation.Max(time)!.CompareTo(split.Test.Min(time)) < 0, "validation before test");
        }

        if (split.Train.Length > 0 && split.Test.Length > 0)
        {
            Assert.True(split.Train.Max(time)!.CompareTo(split.Test.Min(time)) < 0, "train before test");
        }
    }

    [Fact]
    public void Text_dates_in_any_order_split_oldest_to_newest()
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(5);
        var times = Enumerable.Range(0, 500).Select(i => start.AddHours(i * 7)).OrderBy(_ => random.Next()).ToArray();
        var table = SplitTestData.Single(StringColumn.FromValues("when", times.Select(t => t.ToString("O", CultureInfo.InvariantCulture))));

        var split = Splitter.ByTime(table, "when", 0.2, 0.1);
        SplitTestData.AssertPartition(split, 500);
        Assert.Equal((350, 100, 50), (split.Train.Length, split.Validation.Length, split.Test.Length));
        AssertOrdered(split, r => times[r]);
    }

    [Fact]
    public void Offsets_are_compared_as_instants()
    {
        // 01:00+05:00 is 20:00 UTC the day before, so it is the oldest row.
        var table = SplitTestData.Single(StringColumn.FromValues(
            "when", ["2024-01-01T12:00:00Z", "2024-01-01T01:00:00+05:00", "2024-01-01 08:00", "2024-01-02"]));
        var split = Splitter.ByTime(table, "when", 0.25, 0.25);
        Assert.Equal([1, 2], split.Train);
        Assert.Equal([0], split.Validation);
        Assert.Equal([3], split.Test);
    }

    [Fact]
    public void Equal_times_stay_on_one_side_of_each_boundary()
    {
        // 10 distinct days, 30 rows each: a 15% cut falls inside a day and must move to its edge.
        var days = Enumerable.Range(0, 300).Select(i => (double)(i % 10)).ToArray();
        var table = SplitTestData.Single(new NumericColumn("day", days));
        var split = Splitter.ByTime(table, "day", 0.15, 0.15);
        SplitTestData.AssertPartition(split, 300);
        AssertOrdered(split, r => days[r]);
        Assert.All(new[] { split.Train, split.Validation, split.Test }, p => Assert.Equal(0, p.Length % 30));
    }

    [Fact]
    public void Numeric_timestamps_and_missing_values()
    {
        var stamps = Enumerable.Range(0, 100).Select(i => i % 10 == 3 ? double.NaN : 1_700_000_000.0 - (i * 3600)).ToArray();
        var table = SplitTestData.Single(new NumericColumn("ts", stamps));
        var split = Splitter.ByTime(table, "ts", 0.1, 0.2);
        SplitTestData.AssertPartition(split, 100);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 10 == 3), split.Excluded);
        Assert.Contains(split.Notes, n => n.Contains("10 rows with no value in 'ts'", StringComparison.Ordinal));
        AssertOrdered(split, r => stamps[r]);
        Assert.Equal((63, 9, 18), (split.Train.Length, split.Validation.Length, split.Test.Length));
    }

    [Fact]
    public void An_unreadable_time_names_the_column_row_and_value()
    {
        var table = SplitTestData.Single(StringColumn.FromValues("when", ["2024-01-01", "2024-01-02", "yesterday-ish", "2024-01-04"]));
        var error = Assert.Throws<FerryException>(() => Splitter.ByTime(table, "when", 0.25, 0.25));
        Assert.Equal(("SPLIT_TIME_UNPARSEABLE", ErrorKind.InvalidInput), (error.Code, error.Kind));
        Assert.Contains("'when'", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'yesterday-ish'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_infinite_timestamp_is_rejected()
    {
        var table = SplitTestData.Single(new NumericColumn("ts", [1, 2, double.PositiveInfinity]));
        var error = Assert.Throws<FerryException>(() => Splitter.ByTime(table, "ts", 0.2, 0.2));
        Assert.Equal("SPLIT_TIME_UNPARSEABLE", error.Code);
    }

    [Fact]
    public void Unknown_time_column_is_a_usage_error()
    {
        var table = SplitTestData.Single(new NumericColumn("ts", [1, 2]));
        var error = Assert.Throws<FerryException>(() => Splitter.ByTime(table, "time", 0.2, 0.2));
        Assert.Equal(("COLUMN_NOT_FOUND", ErrorKind.Usage), (error.Code, error.Kind));
    }
}
