using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using static Ferry.Data.Tests.Schema.SchemaTestData;

namespace Ferry.Data.Tests.Schema;

public class DatasetDifferTests
{
    private static (DatasetSchema Schema, IReadOnlyList<ColumnProfile> Profiles) Describe(Table table)
    {
        var schema = SchemaInference.Infer(table, null);
        return (schema, Profiler.ProfileAll(table, schema));
    }

    private static DatasetDiff Diff(Table a, Table b)
    {
        var (sa, pa) = Describe(a);
        var (sb, pb) = Describe(b);
        return DatasetDiffer.Compare(sa, pa, sb, pb);
    }

    private static double[] Normal(int n, double mean, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => mean + (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
    }

    private static Table Labelled(params Column[] columns) =>
        new([.. columns, Num("label", [.. Enumerable.Range(0, columns[0].Length).Select(i => (double)(i % 2))])]);

    [Theory]
    [InlineData("penguins")]
    [InlineData("iris")]
    public void An_unchanged_copy_has_no_changes(string sample)
    {
        var diff = Diff(Sample(sample), Sample(sample));
        Assert.False(diff.HasChanges);
        Assert.Equal(ChangeSeverity.None, diff.Severity);
        Assert.Empty(diff.SchemaChanges);
        Assert.All(diff.Columns, c => Assert.Empty(c.Notes));
        Assert.All(diff.Columns.Where(c => c.Numeric is not null), c => Assert.Equal(0, c.Numeric!.Psi!.Value, 12));
    }

    [Fact]
    public void Added_and_removed_columns_are_schema_changes()
    {
        var iris = Sample("iris");
        var diff = Diff(iris, iris.Without("sepal_width_cm").With(Num("petal_ratio", [.. Enumerable.Range(0, 150).Select(i => i / 10.0)])));

        var added = Assert.Single(diff.SchemaChanges, c => c.Kind == SchemaChangeKind.ColumnAdded);
        Assert.Equal(("petal_ratio", "Numeric"), (added.Column, added.After));
        var removed = Assert.Single(diff.SchemaChanges, c => c.Kind == SchemaChangeKind.ColumnRemoved);
        Assert.Equal(("sepal_width_cm", ChangeSeverity.Major), (removed.Column, removed.Severity));
        Assert.DoesNotContain(diff.Columns, c => c.Name is "petal_ratio" or "sepal_width_cm");
        Assert.True(diff.HasChanges);
    }

    [Fact]
    public void A_kind_change_is_major()
    {
        var numbers = Labelled(Num("zip", [.. Enumerable.Range(0, 40).Select(i => (double)(i % 5))]));
        var text = Labelled(StringColumn.FromValues("zip", Enumerable.Range(0, 40).Select(i => $"z{i % 5}")));
        var diff = Diff(numbers, text);

        var change = Assert.Single(diff.SchemaChanges);
        Assert.Equal((SchemaChangeKind.KindChanged, "Numeric", "Categorical"), (change.Kind, change.Before, change.After));
        Assert.Equal(ChangeSeverity.Major, diff.Columns.Single(c => c.Name == "zip").Severity);
    }

    [Fact]
    public void A_shifted_mean_is_a_major_distribution_change()
    {
        var diff = Diff(Labelled(Num("x", Normal(2000, 0, 1))), Labelled(Num("x", Normal(2000, 1, 2))));
        var x = diff.Columns.Single(c => c.Name == "x");

        Assert.Equal(ChangeSeverity.Major, x.Severity);
        Assert.True(x.Numeric!.Psi > 0.25, $"PSI {x.Numeric.Psi}");
        Assert.InRange(x.Numeric.MeanShiftInStd!.Value, 0.85, 1.15);
        Assert.InRange(x.Numeric.StdRatio!.Value, 0.9, 1.1);
        Assert.Empty(diff.SchemaChanges);
    }

    [Fact]
    public void Two_samples_of_one_distribution_do_not_look_changed()
    {
        var diff = Diff(Labelled(Num("x", Normal(5000, 0, 3))), Labelled(Num("x", Normal(5000, 0, 4))));
        var x = diff.Columns.Single(c => c.Name == "x");
        Assert.True(x.Numeric!.Psi < 0.1, $"PSI {x.Numeric.Psi}");
        Assert.NotEqual(ChangeSeverity.Major, x.Severity);
    }

    [Fact]
    public void Categories_report_new_vanished_and_total_variation()
    {
        var a = Labelled(StringColumn.FromValues("c", Enumerable.Range(0, 100).Select(i => i < 50 ? "x" : i < 90 ? "y" : "z")));
        var b = Labelled(StringColumn.FromValues("c", Enumerable.Range(0, 100).Select(i => i < 50 ? "x" : i < 80 ? "y" : "w")));
        var c = Diff(a, b).Columns.Single(col => col.Name == "c");

        Assert.Equal(["w"], c.Categories!.NewCategories);
        Assert.Equal(["z"], c.Categories.VanishedCategories);
        Assert.Equal(0.2, c.Categories.NewCategoryShare, 12);
        Assert.Equal(0.2, c.Categories.TotalVariation, 12); // |0.4-0.3| + |0.1-0| + |0-0.2| = 0.4, halved
        Assert.Equal(ChangeSeverity.Major, c.Severity);
    }

    [Fact]
    public void Missing_rate_changes_are_graded()
    {
        var full = Num("x", [.. Enumerable.Range(0, 100).Select(i => (double)i)]);
        var holes = Num("x", [.. Enumerable.Range(0, 100).Select(i => i % 5 == 0 ? double.NaN : i)]);
        var x = Diff(Labelled(full), Labelled(holes)).Columns.Single(c => c.Name == "x");
        Assert.Equal((0.0, 0.2), (x.MissingRateA, x.MissingRateB));
        Assert.Equal(ChangeSeverity.Major, x.Severity);
    }

    [Fact]
    public void Label_and_row_count_changes_are_reported()
    {
        var iris = Sample("iris");
        var a = SchemaInference.Infer(iris, null);
        var b = SchemaInference.Infer(iris, "petal_width_cm");
        var diff = DatasetDiffer.Compare(a, Profiler.ProfileAll(iris, a), b, Profiler.ProfileAll(iris, b));
        Assert.Contains(diff.SchemaChanges, c => c.Kind == SchemaChangeKind.LabelChanged && c.After == "petal_width_cm");
        Assert.Contains(diff.SchemaChanges, c => c.Kind == SchemaChangeKind.TaskChanged && c.After == "Regression");

        var fewer = iris.SelectRows([.. Enumerable.Range(0, 100)]);
        var rows = Diff(iris, fewer);
        var count = Assert.Single(rows.SchemaChanges, c => c.Kind == SchemaChangeKind.RowCountChanged);
        Assert.Equal(("150", "100"), (count.Before, count.After));
    }

    [Fact]
    public void Profiles_alone_can_be_compared()
    {
        var (_, pa) = Describe(Sample("wine"));
        var diff = DatasetDiffer.Compare(null, pa, null, pa);
        Assert.False(diff.HasChanges);
    }

    [Fact]
    public void Rebinning_spreads_mass_uniformly_and_pushes_outliers_to_the_tails()
    {
        Assert.Equal([1.0, 1.0], PopulationStability.Rebin([0, 1, 2], [0.5, 1.5], [2]));
        Assert.Equal([0.0, 4.0], PopulationStability.Rebin([0, 1, 2], [5, 6], [4]));
        Assert.Equal([3.0, 0.0], PopulationStability.Rebin([0, 1, 2], [-1, -1], [3]));
        Assert.Equal([1.0, 3.0], PopulationStability.Rebin([0, 1, 2], [0, 2, 4], [2, 2]));
    }

    [Fact]
    public void Diffs_round_trip_through_json()
    {
        var diff = Diff(Labelled(Num("x", Normal(500, 0, 5))), Labelled(Num("x", Normal(500, 2, 6))).With(Str("new", [.. Enumerable.Range(0, 500).Select(i => $"v{i % 3}")])));
        var json = JsonSerializer.Serialize(diff, FerryJson.Compact);
        Assert.Contains("\"major\"", json, StringComparison.Ordinal);
        Assert.Contains("\"columnAdded\"", json, StringComparison.Ordinal);

        var back = JsonSerializer.Deserialize<DatasetDiff>(json, FerryJson.Compact)!;
        Assert.Equal(diff.Columns.Single(c => c.Name == "x").Numeric, back.Columns.Single(c => c.Name == "x").Numeric);
        Assert.Equal(diff.SchemaChanges.Single(), back.SchemaChanges.Single());
        Assert.Equal(diff.Severity, back.Severity);
    }
}
