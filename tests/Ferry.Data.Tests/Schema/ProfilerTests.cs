using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using static Ferry.Data.Tests.Schema.SchemaTestData;

namespace Ferry.Data.Tests.Schema;

public class ProfilerTests
{
    private static ColumnProfile Profile(Column column) => Profiler.Profile(column, SchemaInference.InferColumn(column));

    [Fact]
    public void Numeric_summary_matches_a_hand_computed_example()
    {
        var profile = Profile(Num("x", 10, 2, double.NaN, 4, 1, 3));
        var s = profile.Numeric!;

        Assert.Equal((6, 1, 5), (profile.Count, profile.Missing, profile.Distinct));
        Assert.Equal((1.0, 10.0, 4.0), (s.Min, s.Max, s.Mean));
        Assert.Equal(Math.Sqrt(12.5), s.StdDev, 12); // squared deviations 9+4+1+0+36 = 50, over n-1 = 4
        // Sorted 1,2,3,4,10; h = 4p: 5% -> 1 + 0.2*1, 95% -> 4 + 0.8*6.
        double[] expected = [1, 1.2, 2, 3, 4, 8.8, 10];
        Assert.Equal(expected.Length, s.Quantiles.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], s.Quantiles[i], 12);
        }

        Assert.Equal(21, s.BinEdges.Count);
        Assert.Equal((1.0, 10.0), (s.BinEdges[0], s.BinEdges[^1]));
        Assert.Equal(1.45, s.BinEdges[1], 12);
        // Width 0.45: 1 -> bin 0, 2 -> 2, 3 -> 4, 4 -> 6, 10 (the closed end) -> 19.
        var counts = new int[20];
        counts[0] = counts[2] = counts[4] = counts[6] = counts[19] = 1;
        Assert.Equal(counts, s.BinCounts);
        Assert.Equal(5, profile.TopValues.Count);
    }

    [Fact]
    public void Constant_and_single_value_columns_have_one_bin_and_zero_spread()
    {
        var s = Profile(Num("c", 7, 7, 7)).Numeric!;
        Assert.Equal(0, s.StdDev);
        Assert.Equal([7.0, 7.0], s.BinEdges);
        Assert.Equal([3], s.BinCounts);
        Assert.All(s.Quantiles, q => Assert.Equal(7, q));

        var one = Profile(Num("c", double.NaN, 2)).Numeric!;
        Assert.Equal((2.0, 0.0), (one.Mean, one.StdDev));
    }

    [Fact]
    public void Infinities_are_counted_but_left_out_of_statistics()
    {
        var profile = Profile(Num("x", 1, double.PositiveInfinity, 3, double.NegativeInfinity, double.NaN));
        Assert.Equal((5, 1, 4), (profile.Count, profile.Missing, profile.Distinct));
        Assert.Equal((1.0, 3.0, 2.0), (profile.Numeric!.Min, profile.Numeric.Max, profile.Numeric.Mean));
        Assert.Equal(2, profile.Numeric.BinCounts.Sum());
        Assert.Contains(profile.TopValues, v => v.Value == "Infinity");

        Assert.Null(Profile(Num("x", double.NaN, double.PositiveInfinity)).Numeric);
    }

    [Fact]
    public void Top_values_are_by_count_then_ordinal_and_capped()
    {
        var values = new List<string?> { "b", "a", "c", "c", null };
        values.AddRange(Enumerable.Range(0, 30).Select(i => $"v{i:00}"));
        var profile = Profile(StringColumn.FromValues("s", values));

        Assert.Null(profile.Numeric);
        Assert.Equal(33, profile.Distinct);
        Assert.Equal(20, profile.TopValues.Count);
        Assert.Equal(new ValueCount("c", 2), profile.TopValues[0]);
        Assert.Equal(["a", "b", "v00"], profile.TopValues.Skip(1).Take(3).Select(v => v.Value));
    }

    [Fact]
    public void Numbers_get_top_values_only_with_few_distinct()
    {
        Assert.Equal(
            [new ValueCount("2", 3), new ValueCount("1", 1), new ValueCount("10", 1)],
            Profile(Num("x", 2, 10, 2, 1, 2)).TopValues);
        Assert.Empty(Profile(Num("x", [.. Enumerable.Range(0, 21).Select(i => (double)i)])).TopValues);
    }

    [Fact]
    public void Profile_all_follows_the_table_and_serializes_to_json()
    {
        var table = Sample("penguins");
        var schema = SchemaInference.Infer(table, null);
        var profiles = Profiler.ProfileAll(table, schema);

        Assert.Equal(table.Columns.Select(c => c.Name), profiles.Select(p => p.Name));
        var sex = profiles.Single(p => p.Name == "sex");
        Assert.Equal((344, 11, ColumnKind.Categorical), (sex.Count, sex.Missing, sex.Kind));
        Assert.Equal(344 - 11, sex.TopValues.Sum(v => v.Count));
        var body = profiles.Single(p => p.Name == "body_mass_g").Numeric!;
        Assert.Equal(342, body.BinCounts.Sum());

        var json = JsonSerializer.Serialize(profiles, FerryJson.Compact);
        var back = JsonSerializer.Deserialize<List<ColumnProfile>>(json, FerryJson.Compact)!;
        Assert.Equal(body.Quantiles, back.Single(p => p.Name == "body_mass_g").Numeric!.Quantiles);
    }

    [Fact]
    public void A_schema_for_another_column_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Profiler.Profile(Num("a", 1), SchemaInference.InferColumn(Num("b", 1))));
    }
}
