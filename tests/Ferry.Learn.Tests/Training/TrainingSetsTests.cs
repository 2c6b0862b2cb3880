using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Ferry.Learn.Training;

namespace Ferry.Learn.Tests.Training;

public sealed class TrainingSetsTests
{
    [Fact]
    public void Balanced_weights_are_n_over_k_times_the_class_count()
    {
        // 6 rows, 3 classes with 3, 2 and 1 rows: 6/(3*3), 6/(3*2), 6/(3*1); a class with no rows weighs 0.
        float[] labels = [0, 0, 0, 1, 1, 2];

        var weights = ClassWeights.Balanced(labels, 4);

        Assert.Equal([6.0 / 9, 1, 2, 0], weights);
        var perRow = ClassWeights.PerRow(labels, weights);
        Assert.Equal([6f / 9, 6f / 9, 6f / 9, 1, 1, 2], perRow);
        // Each present class carries the same total weight.
        Assert.Equal(2, perRow.Where((_, i) => labels[i] == 0).Sum(), 5);
        Assert.Equal(2, perRow.Where((_, i) => labels[i] == 2).Sum(), 5);
    }

    [Fact]
    public async Task Traits_describe_size_classes_and_the_rarest_share()
    {
        var (table, schema) = await LearnSamples.LoadAsync("penguins");
        var set = TrainingSets.Create(table, schema, Featurizer.Fit(table, schema));

        var traits = set.Traits();

        Assert.Equal(TaskKind.Multiclass, traits.Task);
        Assert.Equal(344, traits.Rows);
        Assert.Equal(3, traits.ClassCount);
        Assert.Equal(68.0 / 344, traits.MinorityShare, 12);
        Assert.True(traits.IsSmall);
        // 68 of 344 is 59% of an equal third: uneven, but not the imbalance that needs weights or another metric.
        Assert.False(traits.IsImbalanced);
        Assert.Equal(set.Features.Columns, traits.Features);
        Assert.NotNull(set.WithBalancedWeights().Weights);
    }

    [Theory]
    [InlineData(TaskKind.Binary, 2, 0.15, true)]
    [InlineData(TaskKind.Binary, 2, 0.25, false)]
    [InlineData(TaskKind.Multiclass, 10, 0.1, false)]
    [InlineData(TaskKind.Multiclass, 10, 0.03, true)]
    [InlineData(TaskKind.Multiclass, 3, 0.1, true)]
    [InlineData(TaskKind.Regression, 0, 1, false)]
    public void Imbalance_is_judged_against_an_equal_share_of_the_classes(TaskKind task, int classes, double minority, bool imbalanced) =>
        Assert.Equal(imbalanced, new DataTraits(task, 500, 4, classes, minority).IsImbalanced);

    [Fact]
    public async Task Regression_traits_carry_the_smallest_target()
    {
        var (table, schema) = await LearnSamples.LoadAsync("diabetes");
        var set = TrainingSets.Create(table, schema, Featurizer.Fit(table, schema));

        var traits = set.Traits();

        Assert.Equal(25, traits.LabelMinimum);
        Assert.False(traits.IsImbalanced);
        Assert.Same(set, set.WithBalancedWeights());
    }

    [Fact]
    public void Labels_map_to_class_indexes_and_bad_labels_say_which_row()
    {
        var schema = new DatasetSchema(
            [new ColumnSchema("x", ColumnKind.Numeric, 3, 0, "t"), new ColumnSchema("y", ColumnKind.Categorical, 2, 0, "t")], "y", TaskKind.Binary, "t", ["1", "2"]);

        Assert.Equal([1f, 0f, 1f], TrainingSets.EncodeLabels(StringColumn.FromValues("y", ["2", "1", "2.0"]), schema));
        Assert.Equal([0f, 1f], TrainingSets.EncodeLabels(new NumericColumn("y", [1, 2]), schema));
        var missing = Assert.Throws<FerryException>(() => TrainingSets.EncodeLabels(StringColumn.FromValues("y", ["1", null]), schema));
        Assert.Equal("LABEL_MISSING", missing.Code);
        Assert.Contains("row 2", missing.Message, StringComparison.Ordinal);
        Assert.Equal("LABEL_UNKNOWN_CLASS", Assert.Throws<FerryException>(() => TrainingSets.EncodeLabels(StringColumn.FromValues("y", ["3"]), schema)).Code);
        var regression = schema with { Task = TaskKind.Regression, Classes = [] };
        Assert.Equal("LABEL_NOT_NUMERIC", Assert.Throws<FerryException>(() => TrainingSets.EncodeLabels(StringColumn.FromValues("y", ["4.5", "many"]), regression)).Code);
    }
}
