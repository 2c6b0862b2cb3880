using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Data.Validation;
using static Ferry.Data.Tests.Schema.SchemaTestData;

namespace Ferry.Data.Tests.Validation;

public class DatasetValidatorTests
{
    private static IReadOnlyList<DataWarning> Validate(Table table, string? label = null, TaskKind? task = null)
    {
        var schema = SchemaInference.Infer(table, label, task);
        return DatasetValidator.Validate(table, schema, Profiler.ProfileAll(table, schema));
    }

    private static double[] Seq(int n, Func<int, double> f) => [.. Enumerable.Range(0, n).Select(f)];

    private static string?[] Labels(int n, Func<int, string?> f) => [.. Enumerable.Range(0, n).Select(f)];

    [Theory]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("penguins")]
    [InlineData("digits")]
    [InlineData("breast_cancer")]
    [InlineData("diabetes")]
    public void No_sample_has_a_label_leak(string sample)
    {
        var warnings = Validate(Sample(sample));
        Assert.DoesNotContain(warnings, w => w.Code == "LABEL_LEAK");
        Assert.DoesNotContain(warnings, w => w.Severity == WarningSeverity.Error);
        Assert.All(warnings, w => Assert.False(string.IsNullOrWhiteSpace(w.Fix)));
    }

    [Fact]
    public void Penguins_findings_are_the_known_ones()
    {
        var warnings = Validate(Sample("penguins"));
        var sex = Assert.Single(warnings, w => w.Code == "MISSING_VALUES" && w.Columns.SequenceEqual(["sex"]));
        Assert.Equal(WarningSeverity.Info, sex.Severity); // 11 of 344 = 3.2%
        Assert.Contains("11 missing values", sex.Message, StringComparison.Ordinal);
        Assert.Equal(5, warnings.Count(w => w.Code == "MISSING_VALUES"));
        var imbalance = Assert.Single(warnings, w => w.Code == "CLASS_IMBALANCE");
        Assert.Equal(WarningSeverity.Info, imbalance.Severity); // 152 / 68 = 2.2
    }

    [Theory]
    [InlineData("iris")]
    [InlineData("penguins")]
    [InlineData("breast_cancer")]
    public void A_copied_label_leaks(string sample)
    {
        var table = Sample(sample);
        var label = table["label"];
        var warnings = Validate(table.With(label.Rename("outcome_copy")));

        var leak = Assert.Single(warnings, w => w.Code == "LABEL_LEAK");
        Assert.Equal(WarningSeverity.Error, leak.Severity);
        Assert.Equal(["outcome_copy", "label"], leak.Columns);
        Assert.Same(leak, warnings[0]);
    }

    [Fact]
    public void An_encoded_label_leaks()
    {
        var table = Sample("iris");
        var label = (StringColumn)table["label"];
        var codes = Seq(label.Length, r => label[r] switch { "setosa" => 0, "versicolor" => 1, _ => 2 });
        var warnings = Validate(table.With(Num("species_code", codes)));
        Assert.Contains(warnings, w => w.Code == "LABEL_LEAK" && w.Columns[0] == "species_code");
    }

    [Fact]
    public void A_linear_function_of_a_numeric_label_leaks()
    {
        var digits = Sample("digits");
        var label = (NumericColumn)digits["label"];
        var classification = Validate(digits.With(Num("checksum", Seq(label.Length, r => (label[r] * 2) + 1))));
        Assert.Contains(classification, w => w.Code == "LABEL_LEAK" && w.Columns[0] == "checksum");

        var diabetes = Sample("diabetes");
        var target = (NumericColumn)diabetes["target"];
        var regression = Validate(diabetes.With(Num("score", Seq(target.Length, r => (target[r] * 2) + 1))));
        var leak = Assert.Single(regression, w => w.Code == "LABEL_LEAK");
        Assert.Contains("r = 1.000", leak.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_category_that_pins_a_regression_target_leaks()
    {
        var diabetes = Sample("diabetes");
        var target = (NumericColumn)diabetes["target"];
        var band = StringColumn.FromValues("band", Enumerable.Range(0, target.Length).Select(r => $"b{Math.Round(target[r] / 10)}"));
        Assert.Contains(Validate(diabetes.With(band)), w => w.Code == "LABEL_LEAK" && w.Columns[0] == "band");
    }

    [Fact]
    public void High_accuracy_on_a_near_constant_label_is_not_a_leak()
    {
        // 97% of rows are one class: a near-copy "predicts" it, but so does always guessing the majority.
        var n = 200;
        var label = Labels(n, i => i < 194 ? "ok" : "fraud");
        var nearCopy = Labels(n, i => i < 195 ? "ok" : "fraud");
        var table = new Table([Str("flag", nearCopy), Num("x", Seq(n, i => i % 13)), Str("label", label)]);
        Assert.DoesNotContain(Validate(table), w => w.Code == "LABEL_LEAK");

        // And fewer than 30 rows prove nothing, unless the column is the label itself.
        var few = new Table([Str("guess", "a", "b", "a", "b", "b"), Str("label", "a", "b", "a", "b", "a")]);
        Assert.DoesNotContain(Validate(few), w => w.Code == "LABEL_LEAK");
    }

    [Fact]
    public void An_exact_copy_of_the_label_always_leaks()
    {
        var n = 200;
        var label = Labels(n, i => i < 194 ? "ok" : "fraud");
        var skewed = new Table([Str("copy", label), Num("x", Seq(n, i => i % 13)), Str("label", label)]);
        var leak = Assert.Single(Validate(skewed), w => w.Code == "LABEL_LEAK");
        Assert.Contains("exact copy", leak.Message, StringComparison.Ordinal);

        var few = new Table([Num("y2", 1, 2, 3, 1), Num("y", 1, 2, 3, 1)]);
        Assert.Single(Validate(few, "y", TaskKind.Regression), w => w.Code == "LABEL_LEAK" && w.Columns[0] == "y2");
    }

    [Fact]
    public void Duplicate_rows_are_counted_with_examples()
    {
        var table = new Table([Num("a", 1, 2, 1, 3, 1, 2.0), Str("b", "x", "y", "x", "z", "x", "y"), Str("label", "p", "q", "p", "q", "p", "q")]);
        var dup = Assert.Single(Validate(table), w => w.Code == "DUPLICATE_ROWS");
        Assert.StartsWith("3 of 6 rows", dup.Message, StringComparison.Ordinal);
        Assert.Contains("row 3 repeats row 1", dup.Message, StringComparison.Ordinal);
        Assert.Contains("row 5 repeats row 1", dup.Message, StringComparison.Ordinal);
        Assert.Contains("row 6 repeats row 2", dup.Message, StringComparison.Ordinal);
        Assert.Equal(WarningSeverity.Warning, dup.Severity);

        // The label is part of the row: same features, different label is not a duplicate.
        var relabelled = new Table([Num("a", 1, 1), Str("label", "p", "q")]);
        Assert.DoesNotContain(Validate(relabelled), w => w.Code == "DUPLICATE_ROWS");
    }

    [Fact]
    public void A_few_duplicate_rows_are_information()
    {
        var dup = Assert.Single(Validate(Sample("iris")), w => w.Code == "DUPLICATE_ROWS");
        Assert.Equal(WarningSeverity.Info, dup.Severity);
        Assert.StartsWith("1 of 150 rows", dup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_columns_are_found_whatever_their_dictionary_order()
    {
        var label = Labels(40, i => i % 3 == 0 ? "a" : "b");
        var c1 = Str("color", Labels(40, i => i % 4 == 0 ? "red" : i % 4 == 1 ? null : "blue"));
        var reversed = Labels(40, i => i % 4 == 0 ? "red" : i % 4 == 1 ? null : "blue").Reverse().ToArray();
        var c2 = (StringColumn)Str("colour", reversed).SelectRows([.. Enumerable.Range(0, 40).Reverse()]);
        var near = Str("hue", Labels(40, i => i == 39 ? "green" : i % 4 == 0 ? "red" : i % 4 == 1 ? null : "blue"));
        var n1 = Num("w", Seq(40, i => i * 0.5));
        var n2 = Num("w2", Seq(40, i => i * 0.5));
        var table = new Table([c1, near, n1, c2, n2, Str("label", label)]);

        var dups = Validate(table).Where(w => w.Code == "DUPLICATE_COLUMNS").ToList();
        Assert.Equal(2, dups.Count);
        Assert.Contains(dups, w => w.Columns.SequenceEqual(["color", "colour"]));
        Assert.Contains(dups, w => w.Columns.SequenceEqual(["w", "w2"]));
    }

    [Theory]
    [InlineData(90, 10, WarningSeverity.Warning)]
    [InlineData(60, 40, WarningSeverity.Info)]
    [InlineData(50, 50, null)]
    public void Class_imbalance_is_graded_by_ratio(int major, int minor, WarningSeverity? expected)
    {
        var n = major + minor;
        var table = new Table([Num("x", Seq(n, i => i % 7)), Str("label", Labels(n, i => i < major ? "common" : "rare"))]);
        var warning = Validate(table).SingleOrDefault(w => w.Code == "CLASS_IMBALANCE");
        Assert.Equal(expected, warning?.Severity);
        if (warning is not null)
        {
            Assert.Contains($"'common' has {major} rows, 'rare' {minor}", warning.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Small_classes_are_named()
    {
        var table = new Table([Num("x", Seq(64, i => i % 7)), Str("label", Labels(64, i => i < 50 ? "a" : i < 60 ? "b" : i < 63 ? "c" : "d"))]);
        var small = Assert.Single(Validate(table), w => w.Code == "SMALL_CLASSES");
        Assert.Contains("2 classes", small.Message, StringComparison.Ordinal);
        Assert.Contains("'c' (3)", small.Message, StringComparison.Ordinal);
        Assert.Contains("'d' (1)", small.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'b'", small.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Column_findings_name_the_column_and_a_fix()
    {
        var n = 100;
        var table = new Table([
            Num("few_missing", Seq(n, i => i < 2 ? double.NaN : i % 9)),
            Num("many_missing", Seq(n, i => i < 30 ? double.NaN : i % 9)),
            Num("empty", Seq(n, _ => double.NaN)),
            Str("constant", Labels(n, i => i == 0 ? null : "same")),
            Num("order_id", Seq(n, i => 1000 + (i * 3))),
            StringColumn.FromValues("city", Labels(n, i => $"city{i % 70}")),
            Num("ratio", Seq(n, i => i == 5 ? double.PositiveInfinity : i / 3.0)),
            Str("label", Labels(n, i => i % 4 == 0 ? "a" : i % 4 == 2 ? "b" : null)),
        ]);
        var warnings = Validate(table);

        DataWarning One(string code, string column) => Assert.Single(warnings, w => w.Code == code && w.Columns.Contains(column));
        Assert.Equal(WarningSeverity.Info, One("MISSING_VALUES", "few_missing").Severity);
        Assert.Equal(WarningSeverity.Warning, One("MISSING_VALUES", "many_missing").Severity);
        Assert.Equal(WarningSeverity.Warning, One("ALL_MISSING", "empty").Severity);
        Assert.DoesNotContain(warnings, w => w.Code is "MISSING_VALUES" or "CONSTANT_COLUMN" && w.Columns.Contains("empty"));
        Assert.Contains("'same'", One("CONSTANT_COLUMN", "constant").Message, StringComparison.Ordinal);
        Assert.Contains("drop 'order_id'", One("ID_COLUMN", "order_id").Fix, StringComparison.Ordinal);
        Assert.Contains("70 distinct", One("HIGH_CARDINALITY", "city").Message, StringComparison.Ordinal);
        Assert.Contains("1 infinite", One("INFINITE_VALUES", "ratio").Message, StringComparison.Ordinal);
        Assert.Contains("50 of 100 rows", One("MISSING_LABEL", "label").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Code == "MISSING_VALUES" && w.Columns.Contains("label"));
        Assert.Equal(warnings.OrderByDescending(w => w.Severity).Select(w => w.Severity), warnings.Select(w => w.Severity));
    }

    [Fact]
    public void Split_overlap_counts_test_rows_seen_in_training()
    {
        var train = new Table([Num("a", 1, 2, 3, 4), Str("b", "w", "x", "y", "z"), Str("label", "p", "q", "p", "q")]);
        var test = new Table([Str("label", "p", "p", "q", "q", "q"), Str("b", "w", "w", "z", "x", "z"), Num("a", 1, 1, 4, 3, 4.0)]);
        var overlap = Assert.Single(DatasetValidator.CompareSplits(train, test));

        Assert.Equal(("TRAIN_TEST_OVERLAP", WarningSeverity.Error), (overlap.Code, overlap.Severity));
        Assert.StartsWith("4 of 5 test rows", overlap.Message, StringComparison.Ordinal);
        Assert.Contains("test rows 1, 2, 3, 5", overlap.Message, StringComparison.Ordinal);

        Assert.Empty(DatasetValidator.CompareSplits(train, new Table([Num("a", 9), Str("b", "w"), Str("label", "p")])));
    }

    [Fact]
    public void Split_columns_are_matched_by_name_and_mismatches_reported()
    {
        var train = new Table([Num("a", 1, 2), Num("extra", 5, 6), Str("label", "p", "q")]);
        // "a" is text in the test file: values still match by canonical text.
        var test = new Table([Str("a", "2", "7"), Str("label", "q", "q"), Num("new", 1, 1)]);
        var warnings = DatasetValidator.CompareSplits(train, test);

        Assert.Equal(["TRAIN_TEST_OVERLAP", "SCHEMA_MISMATCH"], warnings.Select(w => w.Code));
        Assert.Contains("only in train: 'extra'", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("only in test: 'new'", warnings[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("1 of 2 test rows", warnings[0].Message, StringComparison.Ordinal);
    }
}
