using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Schema;

public class DistinctCountTests
{
    private static int Expected(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).Select(v => v == 0 ? 0 : v).Distinct().Count();

    [Theory]
    [InlineData(10, 5)]
    [InlineData(50_000, 1_000_000)]
    [InlineData(200_000, 150_000)]
    [InlineData(200_000, 50)]
    public void Partitioned_count_matches_a_hash_set(int n, int range)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(i => i % 97 == 0 ? double.NaN : i % 89 == 0 ? -0.0 : random.Next(range) / 7.0).ToArray();
        Assert.Equal(Expected(values), DistinctCount.Of(values));
    }

    [Fact]
    public void Bitmap_count_matches_a_hash_set_for_integers()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 100_000).Select(i => i % 50 == 0 ? double.NaN : random.Next(-3000, 90_000) * 1.0).ToArray();
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        Assert.Equal(Expected(values), DistinctCount.OfIntegers(values, present.Min(), present.Max()));
    }

    [Fact]
    public void Column_facts_agree_whichever_counting_path_they_take()
    {
        var random = new Random(9);
        double[][] columns =
        [
            [.. Enumerable.Range(0, 30_000).Select(_ => Math.Round(random.NextDouble(), 4))],
            [.. Enumerable.Range(0, 30_000).Select(_ => (double)random.Next(20_000))],
            [.. Enumerable.Range(0, 30_000).Select(_ => random.Next(2) == 0 ? 1e300 * random.Next(5000) : random.Next(5000))],
            [.. Enumerable.Range(0, 30_000).Select(_ => (double)random.Next(300))],
        ];
        foreach (var values in columns)
        {
            var facts = ColumnFacts.Of(new NumericColumn("x", [.. values]));
            Assert.Equal(Expected(values), facts.Distinct);
        }
    }
}
