using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Learn.Onnx.Tests;

/// <summary>Predictions through ONNX Runtime against the same models computed here from the fixtures' weights.</summary>
public sealed class OnnxPredictorTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly OnnxPackages _packages = new();

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task Matrix_classifier_gives_the_softmax_of_its_weights_with_named_columns_and_classes()
    {
        var iris = await OnnxTestPaths.LoadSampleAsync("iris.csv");
        var weights = OnnxTestPaths.Weights("iris_logreg");
        var classes = OnnxTestPaths.Strings(weights.GetProperty("classes"));
        using var predictor = await _packages.LoadAsync("iris_logreg.onnx", new OnnxImportOptions
        {
            HeaderColumns = [.. iris.Columns.Select(c => c.Name)],
            Classes = classes,
        });

        var predictions = await predictor.PredictAsync(iris, CancellationToken.None);

        Assert.Equal(TaskKind.Multiclass, predictor.Signature.Task);
        Assert.Equal(OnnxTestPaths.Strings(weights.GetProperty("features")), predictor.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(classes, predictions.Classes);
        var w = OnnxTestPaths.Matrix(weights.GetProperty("W"));
        var b = OnnxTestPaths.Vector(weights.GetProperty("B"));
        var features = predictor.Signature.Inputs.Select(i => (NumericColumn)iris[i.Name]).ToArray();
        var correct = 0;
        for (var r = 0; r < iris.RowCount; r++)
        {
            var logits = b.Select((bias, k) => bias + features.Select((f, j) => f[r] * w[j][k]).Sum()).ToArray();
            var expected = OnnxTestPaths.Softmax(logits);
            for (var k = 0; k < classes.Length; k++)
            {
                Assert.Equal(expected[k], predictions.Probabilities![r][k], Tolerance);
            }

            // The graph's ArgMax label output (int64 positions) is read as the class at that position.
            Assert.Equal(classes[Array.IndexOf(expected, expected.Max())], predictions.Labels![r]);
            correct += predictions.Labels[r] == ((StringColumn)iris["label"])[r] ? 1 : 0;
        }

        Assert.True(correct >= 140, $"{correct} of 150 right");
    }

    [Fact]
    public async Task Without_options_a_matrix_model_has_f_columns_and_numbered_classes()
    {
        using var predictor = await _packages.LoadAsync("iris_logreg.onnx");
        var table = new Table([
            new NumericColumn("f0", [5.1]), new NumericColumn("f1", [3.5]), new NumericColumn("f2", [1.4]), new NumericColumn("f3", [0.2])]);

        var predictions = await predictor.PredictAsync(table, CancellationToken.None);

        Assert.Equal(["f0", "f1", "f2", "f3"], predictor.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(["0", "1", "2"], predictor.Signature.Classes);
        Assert.Equal("0", predictions.Labels![0]);
    }

    [Fact]
    public async Task Per_column_model_takes_strings_and_numbers_and_its_classes_from_the_zipmap()
    {
        var penguins = await OnnxTestPaths.LoadSampleAsync("penguins.csv");
        var complete = Enumerable.Range(0, penguins.RowCount).Where(r => !penguins["bill_length_mm"].IsMissing(r)).ToArray();
        var rows = penguins.SelectRows(complete);
        using var predictor = await _packages.LoadAsync("penguins_columns.onnx");

        var predictions = await predictor.PredictAsync(rows, CancellationToken.None);

        var weights = OnnxTestPaths.Weights("penguins_columns");
        Assert.Equal(OnnxTestPaths.Strings(weights.GetProperty("classes")), predictor.Signature.Classes);
        Assert.Equal(
            [("island", ColumnKind.Categorical), ("bill_length_mm", ColumnKind.Numeric), ("flipper_length_mm", ColumnKind.Numeric), ("sex", ColumnKind.Categorical)],
            predictor.Signature.Inputs.Select(i => (i.Name, i.Kind)));
        for (var r = 0; r < rows.RowCount; r++)
        {
            var expected = PenguinProbabilities(weights, rows["island"].GetText(r), ((NumericColumn)rows["bill_length_mm"])[r], ((NumericColumn)rows["flipper_length_mm"])[r], rows["sex"].GetText(r));
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], predictions.Probabilities![r][k], Tolerance);
            }

            Assert.Equal(predictor.Signature.Classes[Array.IndexOf(expected, expected.Max())], predictions.Labels![r]);
        }

        Assert.True(predictions.Labels!.Where((l, r) => l == rows["label"].GetText(r)).Count() >= 0.9 * rows.RowCount);
    }

    [Fact]
    public async Task Unseen_and_missing_categories_reach_the_graph_as_unknown_values()
    {
        using var predictor = await _packages.LoadAsync("penguins_columns.onnx");
        var table = new Table([
            StringColumn.FromValues("island", ["Atlantis", "Dream"]),
            new NumericColumn("bill_length_mm", [45, 45]),
            new NumericColumn("flipper_length_mm", [200, 200]),
            StringColumn.FromValues("sex", ["male", null]),
        ]);

        var predictions = await predictor.PredictAsync(table, CancellationToken.None);

        var weights = OnnxTestPaths.Weights("penguins_columns");
        Assert.Equal(PenguinProbabilities(weights, null, 45, 200, "male"), predictions.Probabilities![0].Select(p => (double)p), new Tolerant(Tolerance));
        Assert.Equal(PenguinProbabilities(weights, "Dream", 45, 200, null), predictions.Probabilities![1].Select(p => (double)p), new Tolerant(Tolerance));
    }

    [Fact]
    public async Task Double_regression_model_gives_its_linear_function()
    {
        var diabetes = await OnnxTestPaths.LoadSampleAsync("diabetes.csv");
        var weights = OnnxTestPaths.Weights("diabetes_linear");
        using var predictor = await _packages.LoadAsync("diabetes_linear.onnx", new OnnxImportOptions { HeaderColumns = [.. diabetes.Columns.Select(c => c.Name)] });

        var predictions = await predictor.PredictAsync(diabetes, CancellationToken.None);

        Assert.Equal(TaskKind.Regression, predictor.Signature.Task);
        Assert.Empty(predictions.Classes);
        var w = OnnxTestPaths.Vector(weights.GetProperty("W"));
        var b = weights.GetProperty("B").GetDouble();
        var features = OnnxTestPaths.Strings(weights.GetProperty("features")).Select(f => (NumericColumn)diabetes[f]).ToArray();
        for (var r = 0; r < diabetes.RowCount; r++)
        {
            var expected = b + features.Select((f, j) => f[r] * w[j]).Sum();
            Assert.Equal(expected, predictions.Values![r], 1e-9 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public async Task One_number_per_row_is_regression_unless_binary_is_asked_then_classes_come_from_metadata()
    {
        var cancer = await OnnxTestPaths.LoadSampleAsync("breast_cancer.csv");
        var header = cancer.Columns.Select(c => c.Name).ToList();
        var weights = OnnxTestPaths.Weights("breast_cancer_sigmoid");
        using var regression = await _packages.LoadAsync("breast_cancer_sigmoid.onnx", new OnnxImportOptions { HeaderColumns = header });
        using var binary = await _packages.LoadAsync("breast_cancer_sigmoid.onnx", new OnnxImportOptions { HeaderColumns = header, Task = TaskKind.Binary });

        var predictions = await binary.PredictAsync(cancer, CancellationToken.None);

        Assert.Equal(TaskKind.Regression, regression.Signature.Task);
        Assert.Equal(TaskKind.Binary, binary.Signature.Task);
        Assert.Equal(["benign", "malignant"], binary.Signature.Classes);
        var w = OnnxTestPaths.Vector(weights.GetProperty("W"));
        var b = weights.GetProperty("B").GetDouble();
        var features = OnnxTestPaths.Strings(weights.GetProperty("features")).Select(f => (NumericColumn)cancer[f]).ToArray();
        for (var r = 0; r < cancer.RowCount; r++)
        {
            var p = 1 / (1 + Math.Exp(-(b + features.Select((f, j) => f[r] * w[j]).Sum())));
            Assert.Equal(p, predictions.Probabilities![r][1], Tolerance);
            Assert.Equal(1 - p, predictions.Probabilities![r][0], Tolerance);
            Assert.Equal(p >= 0.5 ? "malignant" : "benign", predictions.Labels![r]);
        }
    }

    [Fact]
    public async Task Rows_that_do_not_fit_are_refused_naming_the_row_and_column()
    {
        using var predictor = await _packages.LoadAsync("iris_logreg.onnx", new OnnxImportOptions { Columns = ["a", "b", "c", "d"] });
        Table Rows(Column a) => new([a, new NumericColumn("b", [1, 1, 1]), new NumericColumn("c", [1, 1, 1]), new NumericColumn("d", [1, 1, 1])]);

        var absent = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(new Table([new NumericColumn("a", [1])]), CancellationToken.None));
        var text = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(Rows(StringColumn.FromValues("a", ["1", "2", "wide"])), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(Rows(new NumericColumn("a", [1, double.NaN, 2])), CancellationToken.None));

        Assert.Equal("INPUT_INVALID", absent.Code);
        Assert.Contains("'b', 'c', 'd'", absent.Message, StringComparison.Ordinal);
        Assert.Equal(("INPUT_INVALID", 3L, "a"), (text.Code, text.Location!.Line, text.Location.Column));
        Assert.Contains("'wide'", text.Message, StringComparison.Ordinal);
        Assert.Equal(("INPUT_INVALID", 2L, "a"), (missing.Code, missing.Location!.Line, missing.Location.Column));
        Assert.Contains("empty in row 2", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integer_inputs_refuse_fractions_and_gaps()
    {
        using var predictor = await _packages.LoadAsync("penguins_columns.onnx");
        var table = new Table([
            StringColumn.FromValues("island", ["Dream"]), StringColumn.FromValues("bill_length_mm", ["forty"]),
            new NumericColumn("flipper_length_mm", [200]), StringColumn.FromValues("sex", ["male"])]);

        var error = await Assert.ThrowsAsync<FerryException>(() => predictor.PredictAsync(table, CancellationToken.None));

        Assert.Equal(("INPUT_INVALID", 1L, "bill_length_mm"), (error.Code, error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public async Task One_session_serves_parallel_calls_with_the_same_results()
    {
        var iris = await OnnxTestPaths.LoadSampleAsync("iris.csv");
        using var predictor = await _packages.LoadAsync("iris_logreg.onnx", new OnnxImportOptions { HeaderColumns = [.. iris.Columns.Select(c => c.Name)] });
        var single = await predictor.PredictAsync(iris, CancellationToken.None);

        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => predictor.PredictAsync(iris, CancellationToken.None))));

        foreach (var result in parallel)
        {
            Assert.Equal(single.Labels, result.Labels);
            Assert.Equal(single.Probabilities!.SelectMany(p => p), result.Probabilities!.SelectMany(p => p));
        }
    }

    [Fact]
    public async Task Empty_tables_give_empty_predictions()
    {
        using var predictor = await _packages.LoadAsync("diabetes_linear.onnx");
        var empty = new Table(predictor.Signature.Inputs.Select(i => new NumericColumn(i.Name, [])));

        var predictions = await predictor.PredictAsync(empty, CancellationToken.None);

        Assert.Equal(0, predictions.Count);
    }

    private static double[] PenguinProbabilities(System.Text.Json.JsonElement weights, string? island, double bill, double flipper, string? sex)
    {
        var islands = OnnxTestPaths.Strings(weights.GetProperty("islands"));
        var sexes = OnnxTestPaths.Strings(weights.GetProperty("sexes"));
        double[] x = [bill, flipper, .. islands.Select(i => i == island ? 1.0 : 0), .. sexes.Select(s => s == sex ? 1.0 : 0)];
        var w = OnnxTestPaths.Matrix(weights.GetProperty("W"));
        var b = OnnxTestPaths.Vector(weights.GetProperty("B"));
        return OnnxTestPaths.Softmax([.. b.Select((bias, k) => bias + x.Select((v, j) => v * w[j][k]).Sum())]);
    }

    private sealed class Tolerant(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
