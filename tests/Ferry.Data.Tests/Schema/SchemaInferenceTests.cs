using Ferry.Data.Schema;
using Ferry.Data.Tables;
using static Ferry.Data.Tests.Schema.SchemaTestData;

namespace Ferry.Data.Tests.Schema;

public class SchemaInferenceTests
{
    [Theory]
    [InlineData("iris", TaskKind.Multiclass, "label", 3)]
    [InlineData("wine", TaskKind.Multiclass, "label", 3)]
    [InlineData("penguins", TaskKind.Multiclass, "label", 3)]
    [InlineData("digits", TaskKind.Multiclass, "label", 10)]
    [InlineData("breast_cancer", TaskKind.Binary, "label", 2)]
    [InlineData("diabetes", TaskKind.Regression, "target", 0)]
    public void Samples_infer_their_task_and_label(string sample, TaskKind task, string label, int classes)
    {
        var schema = SchemaInference.Infer(Sample(sample), null);

        Assert.Equal(label, schema.Label);
        Assert.Equal(task, schema.Task);
        Assert.Equal(classes, schema.Classes.Count);
        Assert.Contains($"'{label}'", schema.TaskReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_feature_kinds_are_sensible()
    {
        var penguins = SchemaInference.Infer(Sample("penguins"), null);
        Assert.Equal(ColumnKind.Categorical, Kind(penguins, "island"));
        Assert.Equal(ColumnKind.Categorical, Kind(penguins, "sex"));
        Assert.Equal(ColumnKind.Numeric, Kind(penguins, "bill_length_mm"));
        Assert.Equal(ColumnKind.Numeric, Kind(penguins, "year"));
        Assert.Equal(11, penguins.Columns.Single(c => c.Name == "sex").MissingCount);
        Assert.Equal(3, penguins.Columns.Single(c => c.Name == "island").Cardinality);

        // 1/2 is not one of the boolean pairs: an integer code stays a number.
        var diabetes = SchemaInference.Infer(Sample("diabetes"), null);
        Assert.Equal(ColumnKind.Numeric, Kind(diabetes, "sex"));
        Assert.Equal("label 'target' is numeric with 214 distinct values, so regression", diabetes.TaskReason);

        // Continuous features are all distinct in small tables, and must not be taken for ids.
        var iris = SchemaInference.Infer(Sample("iris"), null);
        Assert.All(iris.Features, f => Assert.Equal(ColumnKind.Numeric, f.Kind));
        var cancer = SchemaInference.Infer(Sample("breast_cancer"), null);
        Assert.All(cancer.Features, f => Assert.Equal(ColumnKind.Numeric, f.Kind));
        Assert.Equal(["benign", "malignant"], cancer.Classes);
        var digits = SchemaInference.Infer(Sample("digits"), null);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], digits.Classes);
    }

    [Theory]
    [InlineData("yes", "no")]
    [InlineData("True", "False")]
    [InlineData("Y", "n")]
    [InlineData("t", "F")]
    [InlineData("0", "1")]
    public void Two_boolean_words_are_boolean(string a, string b)
    {
        var column = Str("flag", a, b, b, a, null, a);
        var schema = SchemaInference.InferColumn(column);
        Assert.Equal(ColumnKind.Boolean, schema.Kind);
        Assert.Equal(2, schema.Cardinality);
        Assert.Equal(1, schema.MissingCount);
    }

    [Fact]
    public void Numbers_are_boolean_only_for_zero_and_one()
    {
        Assert.Equal(ColumnKind.Boolean, SchemaInference.InferColumn(Num("f", 0, 1, 1, double.NaN, 0)).Kind);
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("f", 1, 2, 2, 1)).Kind);
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("f", 0, 1, 2)).Kind);
        Assert.Equal(ColumnKind.Categorical, SchemaInference.InferColumn(Str("f", "yes", "no", "maybe")).Kind);
        Assert.Equal(ColumnKind.Categorical, SchemaInference.InferColumn(Str("f", "yes", "false")).Kind);
    }

    [Theory]
    [InlineData("2024-01-{0:00}")]
    [InlineData("2024-01-{0:00} 13:45")]
    [InlineData("2024-01-{0:00} 13:45:07")]
    [InlineData("2024-01-{0:00}T13:45:07Z")]
    [InlineData("2024-01-{0:00}T13:45:07.250+02:00")]
    [InlineData("2024/01/{0:00}")]
    [InlineData("{0:00}/01/2024")]
    [InlineData("01/{0:00}/2024")]
    [InlineData("1/{0}/2024")]
    public void Date_texts_are_datetime(string pattern)
    {
        var values = Enumerable.Range(1, 28).Select(d => string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, d));
        var schema = SchemaInference.InferColumn(StringColumn.FromValues("when", [.. values, null]));
        Assert.Equal(ColumnKind.DateTime, schema.Kind);
    }

    [Fact]
    public void A_few_non_dates_are_tolerated_but_not_many()
    {
        var dates = Enumerable.Range(0, 100).Select(i => new DateOnly(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ColumnKind.DateTime, SchemaInference.InferColumn(StringColumn.FromValues("d", [.. dates, "unknown"])).Kind);

        var half = dates.Take(50).Concat(Enumerable.Range(0, 50).Select(i => $"code{i}"));
        Assert.NotEqual(ColumnKind.DateTime, SchemaInference.InferColumn(StringColumn.FromValues("d", half)).Kind);
        Assert.NotEqual(ColumnKind.DateTime, SchemaInference.InferColumn(Str("d", "2020-13-45", "2020-02-30", "20200101")).Kind);
    }

    [Fact]
    public void Uuid_strings_are_id_like()
    {
        var random = new Random(1);
        var ids = Enumerable.Range(0, 50).Select(_ => new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]).ToString());
        Assert.Equal(ColumnKind.IdLike, SchemaInference.InferColumn(StringColumn.FromValues("ref", ids)).Kind);
    }

    [Fact]
    public void Integer_ids_need_a_name_hint_or_a_consecutive_run()
    {
        var scattered = Enumerable.Range(0, 30).Select(i => (double)(i * 7 + 3)).ToArray();
        Assert.Equal(ColumnKind.IdLike, SchemaInference.InferColumn(Num("customer_id", scattered)).Kind);
        Assert.Equal(ColumnKind.IdLike, SchemaInference.InferColumn(Num("customerId", scattered)).Kind);
        Assert.Equal(ColumnKind.IdLike, SchemaInference.InferColumn(Num("Unnamed: 0", scattered)).Kind);
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("amount", scattered)).Kind);
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("paid", scattered)).Kind);

        var run = Enumerable.Range(0, 30).Select(i => (double)(1000 + ((i * 11) % 30))).ToArray();
        Assert.Equal(ColumnKind.IdLike, SchemaInference.InferColumn(Num("n", run)).Kind);

        // Too few rows to tell, a repeated value, or fractions: not an id.
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("id", [.. scattered.Take(19)])).Kind);
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("id", [.. scattered, 3])).Kind);
        var continuous = Enumerable.Range(0, 100).Select(i => i + 0.5).ToArray();
        Assert.Equal(ColumnKind.Numeric, SchemaInference.InferColumn(Num("row_id", continuous)).Kind);
    }

    [Fact]
    public void Sentences_are_text_and_short_codes_are_categorical()
    {
        var words = new[] { "great", "terrible", "product", "arrived", "late", "would", "buy", "again", "never" };
        var random = new Random(7);
        var sentences = Enumerable.Range(0, 60).Select(i => string.Join(' ', Enumerable.Range(0, 4).Select(_ => words[random.Next(words.Length)])) + $" #{i}");
        var text = SchemaInference.InferColumn(StringColumn.FromValues("review", [.. sentences, .. sentences.Take(10)]));
        Assert.Equal(ColumnKind.Text, text.Kind);

        var codes = Enumerable.Range(0, 200).Select(i => $"C{i % 12}");
        Assert.Equal(ColumnKind.Categorical, SchemaInference.InferColumn(StringColumn.FromValues("code", codes)).Kind);
    }

    [Fact]
    public void Unused_dictionary_entries_do_not_count()
    {
        var column = (StringColumn)Str("x", "a", "b", "c", "a").SelectRows([0, 1, 3]);
        var schema = SchemaInference.InferColumn(column);
        Assert.Equal(2, schema.Cardinality);
    }

    [Fact]
    public void Label_is_the_requested_column_or_a_conventional_name()
    {
        var table = new Table([Num("a", 1, 2), Num("Target", 1, 2), Num("y", 1, 2)]);
        Assert.Equal("a", SchemaInference.ResolveLabel(table, "a"));
        Assert.Equal("Target", SchemaInference.ResolveLabel(table, null));
        Assert.Equal("Target", SchemaInference.ResolveLabel(table, "target"));
        Assert.Equal("label", SchemaInference.ResolveLabel(table.With(Num("class", 1, 2)).With(Num("label", 1, 2)), null));
        Assert.Equal("CLASS", SchemaInference.ResolveLabel(new Table([Num("y", 1, 2), Num("CLASS", 1, 2)]), null));
    }

    [Fact]
    public void Missing_label_errors_list_the_columns()
    {
        var table = new Table([Num("a", 1, 2), Num("b", 1, 2)]);

        var notFound = Assert.Throws<FerryException>(() => SchemaInference.ResolveLabel(table, "price"));
        Assert.Equal(("LABEL_NOT_FOUND", ErrorKind.Usage), (notFound.Code, notFound.Kind));
        Assert.Contains("'price'", notFound.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", notFound.Message, StringComparison.Ordinal);

        var required = Assert.Throws<FerryException>(() => SchemaInference.Infer(table, null));
        Assert.Equal(("LABEL_REQUIRED", ErrorKind.Usage), (required.Code, required.Kind));
        Assert.Equal("no label column found: pass --label COLUMN (columns: a, b)", required.Message);
    }

    [Fact]
    public void Task_follows_the_label_values()
    {
        static DatasetSchema Infer(Column label) => SchemaInference.Infer(new Table([Num("x", [.. Enumerable.Range(0, label.Length).Select(i => (double)i)]), label]), label.Name);

        var many = Enumerable.Range(0, 60).Select(i => (double)(i % 30)).ToArray();
        Assert.Equal(TaskKind.Regression, Infer(Num("y", many)).Task);
        Assert.Equal(TaskKind.Regression, Infer(Num("y", 1, 2, 2.5, 1, 2)).Task);
        Assert.Equal(TaskKind.Binary, Infer(Num("y", 0, 1, 1, 0)).Task);
        Assert.Equal(TaskKind.Binary, Infer(Str("y", "no", "yes", "yes")).Task);
        Assert.Equal(TaskKind.Multiclass, Infer(Str("y", "a", "b", "c", "a")).Task);

        var twenty = Enumerable.Range(0, 40).Select(i => (double)(i % 20)).ToArray();
        Assert.Equal(TaskKind.Multiclass, Infer(Num("y", twenty)).Task);
        var twentyOne = Enumerable.Range(0, 42).Select(i => (double)(i % 21)).ToArray();
        Assert.Equal(TaskKind.Regression, Infer(Num("y", twentyOne)).Task);
    }

    [Fact]
    public void Classes_sort_numbers_by_value()
    {
        Assert.Equal(["2", "10", "100"], SchemaInference.Infer(new Table([Str("y", "10", "2", "100", "2")]), "y").Classes);
        Assert.Equal(["-1", "2", "10"], SchemaInference.Infer(new Table([Num("y", 10, 2, -1)]), "y").Classes);
        Assert.Equal(["10", "2", "b"], SchemaInference.Infer(new Table([Str("y", "b", "2", "10")]), "y").Classes);
    }

    [Fact]
    public void Labels_without_anything_to_learn_are_rejected()
    {
        var single = Assert.Throws<FerryException>(() => SchemaInference.Infer(new Table([Str("y", "a", "a", null)]), null));
        Assert.Equal(("LABEL_SINGLE_CLASS", ErrorKind.InvalidInput), (single.Code, single.Kind));
        Assert.Equal("label 'y' has one value 'a': nothing to learn; check the file or the label", single.Message);

        var empty = Assert.Throws<FerryException>(() => SchemaInference.Infer(new Table([Num("y", double.NaN, double.NaN)]), null));
        Assert.Equal("LABEL_EMPTY", empty.Code);
    }

    [Fact]
    public void An_explicit_task_overrides_but_is_checked()
    {
        var text = new Table([Str("y", "a", "b", "c")]);
        var ints = new Table([Num("y", 1, 2, 3, 1)]);

        Assert.Equal(TaskKind.Regression, SchemaInference.Infer(ints, null, TaskKind.Regression).Task);
        Assert.Empty(SchemaInference.Infer(ints, null, TaskKind.Regression).Classes);
        Assert.Equal(TaskKind.Multiclass, SchemaInference.Infer(new Table([Num("y", 0, 1)]), null, TaskKind.Multiclass).Task);
        Assert.Contains("task set to", SchemaInference.Infer(ints, null, TaskKind.Multiclass).TaskReason, StringComparison.Ordinal);

        var notNumeric = Assert.Throws<FerryException>(() => SchemaInference.Infer(text, null, TaskKind.Regression));
        Assert.Equal(("LABEL_NOT_NUMERIC", ErrorKind.InvalidInput), (notNumeric.Code, notNumeric.Kind));
        var notBinary = Assert.Throws<FerryException>(() => SchemaInference.Infer(text, null, TaskKind.Binary));
        Assert.Equal(("LABEL_NOT_BINARY", ErrorKind.InvalidInput), (notBinary.Code, notBinary.Kind));
    }

    [Fact]
    public void A_text_label_with_thousands_of_values_is_rejected()
    {
        var values = Enumerable.Range(0, 3000).Select(i => i == 5 ? "n/a" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var error = Assert.Throws<FerryException>(() => SchemaInference.Infer(new Table([StringColumn.FromValues("y", values)]), null));
        Assert.Equal("LABEL_TOO_MANY_CLASSES", error.Code);
        Assert.Contains("'n/a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_tables_infer_the_same_as_small_ones()
    {
        // Above the parallel threshold; the result must not depend on scheduling.
        var random = new Random(3);
        var n = 60_000;
        var table = new Table([
            Num("f", [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())]),
            Num("id", [.. Enumerable.Range(0, n).Select(i => (double)i)]),
            StringColumn.FromValues("c", Enumerable.Range(0, n).Select(i => $"k{i % 7}")),
            Num("y", [.. Enumerable.Range(0, n).Select(i => (double)(i % 3))]),
        ]);
        var schema = SchemaInference.Infer(table, "y");
        Assert.Equal([ColumnKind.Numeric, ColumnKind.IdLike, ColumnKind.Categorical, ColumnKind.Numeric], schema.Columns.Select(c => c.Kind));
        Assert.Equal(n, schema.Columns[1].Cardinality);
        Assert.Equal(TaskKind.Multiclass, schema.Task);
    }

    [FsCheck.Xunit.Property]
    public bool Cardinality_counts_distinct_non_missing_values(string?[] values)
    {
        var schema = SchemaInference.InferColumn(StringColumn.FromValues("x", values));
        return schema.Cardinality == values.Where(v => v is not null).Distinct(StringComparer.Ordinal).Count()
            && schema.MissingCount == values.Count(v => v is null);
    }

    [FsCheck.Xunit.Property]
    public bool Numeric_cardinality_counts_distinct_numbers(double[] values)
    {
        var schema = SchemaInference.InferColumn(new NumericColumn("x", [.. values]));
        return schema.Cardinality == values.Where(v => !double.IsNaN(v)).Distinct().Count();
    }

    private static ColumnKind Kind(DatasetSchema schema, string column) => schema.Columns.Single(c => c.Name == column).Kind;
}
