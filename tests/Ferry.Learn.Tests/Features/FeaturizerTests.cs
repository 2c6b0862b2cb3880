using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Features;

namespace Ferry.Learn.Tests.Features;

public sealed class FeaturizerTests
{
    private static DatasetSchema Schema(params (string Name, ColumnKind Kind)[] columns) =>
        new([.. columns.Select(c => new ColumnSchema(c.Name, c.Kind, 0, 0, "test")), new ColumnSchema("y", ColumnKind.Categorical, 2, 0, "test")],
            "y", TaskKind.Binary, "test", ["a", "b"]);

    private static NumericColumn Numbers(string name, params double[] values) => new(name, values);

    private static StringColumn Texts(string name, params string?[] values) => StringColumn.FromValues(name, values);

    private static float[] Row(Ferry.Learn.Training.FeatureMatrix m, int row) => m.Row(row).ToArray();

    [Fact]
    public async Task Penguins_get_one_hot_islands_and_missing_indicators_only_where_training_had_gaps()
    {
        var (table, schema) = await LearnSamples.LoadAsync("penguins");

        var featurizer = Featurizer.Fit(table, schema);

        Assert.Contains("island=Biscoe", featurizer.FeatureNames);
        Assert.Contains("island=(other)", featurizer.FeatureNames);
        Assert.Contains("sex=(missing)", featurizer.FeatureNames);
        Assert.Contains("bill_length_mm_missing", featurizer.FeatureNames);
        Assert.DoesNotContain("year_missing", featurizer.FeatureNames);
        Assert.DoesNotContain(featurizer.FeatureNames, n => n.StartsWith("label", StringComparison.Ordinal));
        var sex = featurizer.Inputs.Single(i => i.Name == "sex");
        Assert.Equal(11.0 / 344, sex.MissingRate, 12);
        Assert.Equal(["female", "male"], sex.Categories!.Order(StringComparer.Ordinal));
        var flipper = featurizer.Inputs.Single(i => i.Name == "flipper_length_mm");
        Assert.Equal(172, flipper.Min);
        Assert.Equal(231, flipper.Max);
        var matrix = featurizer.Transform(table);
        Assert.Equal(344, matrix.Rows);
        Assert.All(matrix.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Missing_numbers_take_the_training_median_and_set_the_indicator()
    {
        var train = new Table([Numbers("x", 1, double.NaN, 3, 10), Texts("y", "a", "b", "a", "b")]);
        var featurizer = Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric)));

        var matrix = featurizer.Transform(new Table([Numbers("x", double.NaN, 5, double.PositiveInfinity)]));

        Assert.Equal(["x", "x_missing"], featurizer.FeatureNames);
        Assert.Equal([3f, 1f], Row(matrix, 0));
        Assert.Equal([5f, 0f], Row(matrix, 1));
        Assert.Equal([3f, 1f], Row(matrix, 2));
    }

    [Fact]
    public void Scaling_standardises_with_training_mean_and_deviation()
    {
        var train = new Table([Numbers("x", 2, 4, 4, 4, 5, 5, 7, 9), Texts("y", "a", "b", "a", "b", "a", "b", "a", "b")]);
        var featurizer = Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric)), new FeaturizerOptions { Scale = true });

        var matrix = featurizer.Transform(new Table([Numbers("x", 5, 9, 1)]));

        // Mean 5, population standard deviation 2.
        Assert.Equal([0f, 2f, -2f], matrix.Values);
        Assert.Equal([5f, 9f, 1f], featurizer.WithScaling(false).Transform(new Table([Numbers("x", 5, 9, 1)])).Values);
    }

    [Fact]
    public void Unseen_and_missing_categories_go_to_their_own_slots_without_failing()
    {
        var train = new Table([Texts("c", "red", "blue", "red", "green"), Texts("y", "a", "b", "a", "b")]);
        var featurizer = Featurizer.Fit(train, Schema(("c", ColumnKind.Categorical)));

        var matrix = featurizer.Transform(new Table([Texts("c", "blue", "purple", null, " red ")]));

        Assert.Equal(["c=red", "c=blue", "c=green", "c=(other)", "c=(missing)"], featurizer.FeatureNames);
        Assert.Equal([0f, 1, 0, 0, 0], Row(matrix, 0));
        Assert.Equal([0f, 0, 0, 1, 0], Row(matrix, 1));
        Assert.Equal([0f, 0, 0, 0, 1], Row(matrix, 2));
        Assert.Equal([1f, 0, 0, 0, 0], Row(matrix, 3));
    }

    [Fact]
    public void A_column_all_missing_at_predict_time_is_imputed()
    {
        var train = new Table([Numbers("x", 1, 2, 3), Texts("c", "u", "v", "u"), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric), ("c", ColumnKind.Categorical)));

        var matrix = featurizer.Transform(new Table([Texts("x", null, null), Texts("c", null, null)]));

        Assert.Equal(["x", "c=u", "c=v", "c=(other)", "c=(missing)"], featurizer.FeatureNames);
        Assert.Equal([2f, 0, 0, 0, 1], Row(matrix, 0));
        Assert.Equal([2f, 0, 0, 0, 1], Row(matrix, 1));
    }

    [Fact]
    public void A_missing_input_column_is_named_in_the_error()
    {
        var train = new Table([Numbers("x", 1, 2), Numbers("z", 3, 4), Texts("y", "a", "b")]);
        var featurizer = Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric), ("z", ColumnKind.Numeric)));

        var error = Assert.Throws<FerryException>(() => featurizer.Transform(new Table([Numbers("x", 1), Numbers("other", 2)])));

        Assert.Equal("INPUT_INVALID", error.Code);
        Assert.Contains("'z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_arriving_as_text_are_parsed_and_text_that_is_not_a_number_names_column_and_row()
    {
        var train = new Table([Numbers("x", 1, 2, 4), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric)));

        Assert.Equal([1.5f, 2f, 2f], featurizer.Transform(new Table([Texts("x", "1.5", "", null)])).Values);
        var error = Assert.Throws<FerryException>(() => featurizer.Transform(new Table([Texts("x", "1", "2", "abc")])));

        Assert.Equal("INPUT_INVALID", error.Code);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_like_columns_are_dropped_and_said_so()
    {
        var train = new Table([Numbers("id", 1, 2, 3), Numbers("x", 5, 6, 7), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("id", ColumnKind.IdLike), ("x", ColumnKind.Numeric)));

        Assert.Equal(["x"], featurizer.FeatureNames);
        Assert.Equal(["x"], featurizer.Inputs.Select(i => i.Name));
        Assert.Contains(featurizer.Description, d => d.StartsWith("id: dropped (id-like", StringComparison.Ordinal));
        Assert.Equal([6f], featurizer.Transform(new Table([Numbers("x", 6)])).Values);
    }

    [Fact]
    public void High_cardinality_categories_are_hashed_into_fixed_buckets_the_same_way_every_time()
    {
        var values = Enumerable.Range(0, 100).Select(i => $"city{i}").ToArray();
        var train = new Table([Texts("c", values), Texts("y", [.. values.Select((_, i) => i % 2 == 0 ? "a" : "b")])]);
        var featurizer = Featurizer.Fit(train, Schema(("c", ColumnKind.Categorical)), new FeaturizerOptions { CategoryBuckets = 16 });

        var matrix = featurizer.Transform(new Table([Texts("c", "city5", "never-seen", null, "city5")]));

        Assert.Equal(17, featurizer.FeatureNames.Count);
        Assert.Null(featurizer.Inputs[0].Categories);
        Assert.Equal(1f, Row(matrix, 0).Sum());
        Assert.Equal(1f, Row(matrix, 1).Sum());
        Assert.Equal(1f, Row(matrix, 2)[16]);
        Assert.Equal(Row(matrix, 0), Row(matrix, 3));
        // FNV-1a of "city5" modulo 16, computed independently of the encoder.
        Assert.Equal(1f, Row(matrix, 0)[Fnv("city5", 16)]);
    }

    [Fact]
    public void Dates_become_parts_with_the_hour_when_training_had_times()
    {
        var train = new Table([Texts("d", "2024-03-15 13:45", "2023-12-31 08:00", null), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("d", ColumnKind.DateTime)));

        var matrix = featurizer.Transform(new Table([Texts("d", "2024-03-15 13:45", "not a date")]));

        Assert.Equal(["d_year", "d_month", "d_day_of_week", "d_day_of_year", "d_hour", "d_missing"], featurizer.FeatureNames);
        // 15 March 2024 was a Friday (Monday = 0) and the 75th day of a leap year.
        Assert.Equal([2024f, 3, 4, 75, 13, 0], Row(matrix, 0));
        // Unreadable: the medians of the two training dates' parts, and the indicator.
        Assert.Equal([2023.5f, 7.5f, 5, 220, 10.5f, 1], Row(matrix, 1));
    }

    [Fact]
    public void Day_first_dates_are_recognised_from_days_above_twelve()
    {
        var train = new Table([Texts("d", "25/12/2020", "01/02/2021", "13/01/2021"), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("d", ColumnKind.DateTime)));

        var matrix = featurizer.Transform(new Table([Texts("d", "01/02/2021")]));

        Assert.Equal(["d_year", "d_month", "d_day_of_week", "d_day_of_year"], featurizer.FeatureNames);
        Assert.Equal(2f, matrix.Values[1]);
    }

    [Fact]
    public void Text_becomes_unit_length_hashed_words_and_word_pairs()
    {
        var train = new Table([Texts("t", "The cat sat", "A dog ran", null), Texts("y", "a", "b", "a")]);
        var featurizer = Featurizer.Fit(train, Schema(("t", ColumnKind.Text)), new FeaturizerOptions { TextBuckets = 1024 });

        var matrix = featurizer.Transform(new Table([Texts("t", "the CAT, sat!", "sat cat the", null)]));

        var first = Row(matrix, 0);
        Assert.Equal(1, Math.Sqrt(first.Sum(v => v * v)), 5);
        Assert.Equal(5, first.Count(v => v > 0));
        Assert.Equal(first[Fnv("cat", 1024)], first[Fnv("the", 1024)]);
        Assert.NotEqual(first, Row(matrix, 1));
        Assert.All(Row(matrix, 2), v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task A_saved_featurizer_loads_back_and_transforms_identically()
    {
        var (table, schema) = await LearnSamples.LoadAsync("penguins");
        var featurizer = Featurizer.Fit(table, schema, new FeaturizerOptions { Scale = true });
        var folder = Directory.CreateTempSubdirectory("ferry-featurizer-");
        try
        {
            var path = Path.Combine(folder.FullName, Featurizer.FileName);
            await featurizer.SaveAsync(path, CancellationToken.None);

            var loaded = await Featurizer.LoadAsync(path, CancellationToken.None);

            Assert.True(loaded.Scaled);
            Assert.Equal(featurizer.FeatureNames, loaded.FeatureNames);
            Assert.Equal(featurizer.Transform(table).Values, loaded.Transform(table).Values);
            Assert.Equal(featurizer.Inputs, loaded.Inputs, (a, b) => a.Name == b.Name && a.Kind == b.Kind && a.Min == b.Min && a.MissingRate == b.MissingRate);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Nothing_left_to_learn_from_is_an_error_that_says_why()
    {
        var train = new Table([Numbers("x", double.NaN, double.NaN), Texts("y", "a", "b")]);

        var error = Assert.Throws<FerryException>(() => Featurizer.Fit(train, Schema(("x", ColumnKind.Numeric))));

        Assert.Equal("NO_FEATURES", error.Code);
        Assert.Contains("x: every value is missing", error.Message, StringComparison.Ordinal);
    }

    private static int Fnv(string text, int buckets)
    {
        // FNV-1a over the UTF-16 little-endian bytes.
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.Unicode.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)buckets);
    }
}
