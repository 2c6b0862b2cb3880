using System.Text.Json;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Loading.Parquet;
using Ferry.Learn.Onnx;
using Ferry.Learn.Packaging;
using Ferry.Tracking.Registry;
using Ferry.Tracking.Storage.Sqlite;

namespace Ferry.Cli.Tests;

public sealed class PredictCommandTests : IDisposable
{
    private static readonly string[] IrisClasses = ["setosa", "versicolor", "virginica"];
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-cli-predict-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Import_registers_a_tracked_version_and_predict_by_alias_downloads_it_once()
    {
        var import = await ImportIrisAsync();
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Registered iris version 1 with alias challenger", import.Output, StringComparison.Ordinal);
        Assert.Contains("petal_width_cm", import.Output, StringComparison.Ordinal);
        Assert.Contains("input[:, 3] of tensor(float) [N, 4]", import.Output, StringComparison.Ordinal);

        var lineage = JsonDocument.Parse((await CliRunner.RunAsync(_home, "models", "show", "iris@challenger", "--json")).Output).RootElement;
        var runId = lineage.GetProperty("run").GetProperty("info").GetProperty("runId").GetString();
        Assert.Equal("import", lineage.GetProperty("run").GetProperty("info").GetProperty("runName").GetString());
        Assert.Equal($"runs:/{runId}/model", lineage.GetProperty("version").GetProperty("source").GetString());

        var first = await CliRunner.RunAsync(_home, "predict", "iris@challenger", CliRunner.Sample("iris.csv"), "-o", Out("first.csv"));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Scored 150 rows with iris/1 (flavor onnx", first.Error, StringComparison.Ordinal);
        Assert.Contains("downloaded", first.Error, StringComparison.Ordinal);
        await AssertIrisPredictionsAsync(File.ReadAllText(Out("first.csv")));

        // A damaged cached copy fails its SHA-256 check and is downloaded again.
        var cached = Path.Combine(_home, "cache", "models", "iris", "1", "package", "model", "model.onnx");
        File.AppendAllText(cached, "tampered");
        var second = await CliRunner.RunAsync(_home, "predict", "iris/1", CliRunner.Sample("iris.csv"), "-o", Out("second.csv"));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("downloaded", second.Error, StringComparison.Ordinal);

        // With the artifact store gone, the cache alone serves the version.
        Directory.Delete(Path.Combine(_home, "artifacts"), recursive: true);
        var third = await CliRunner.RunAsync(_home, "predict", "iris@challenger", CliRunner.Sample("iris.csv"), "-o", Out("third.csv"));
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.DoesNotContain("downloaded", third.Error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Out("first.csv")), File.ReadAllText(Out("third.csv")));
    }

    [Fact]
    public async Task A_package_path_or_its_zip_predicts_to_standard_output_with_a_copied_id_column()
    {
        var folder = await PackageAsync("diabetes_linear.onnx", new OnnxImportOptions { HeaderColumns = await HeaderAsync("diabetes.csv") });
        var zip = Out("diabetes.zip");
        await ModelPackageWriter.ZipAsync(folder, zip, CancellationToken.None);
        var data = Out("diabetes-with-id.csv");
        var lines = File.ReadAllLines(CliRunner.Sample("diabetes.csv"));
        File.WriteAllLines(data, [$"patient,{lines[0]}", .. lines.Skip(1).Select((l, i) => $"p{i + 100},{l}")]);

        foreach (var package in new[] { folder, zip })
        {
            var result = await CliRunner.RunAsync(_home, "predict", package, data, "--id", "patient");

            Assert.True(result.ExitCode == 0, result.ToString());
            var (header, rows) = PredictTestData.ReadCsv(result.Output);
            Assert.Equal(["patient", "prediction"], header);
            Assert.Equal(lines.Length - 1, rows.Length);
            for (var r = 0; r < rows.Length; r++)
            {
                var features = lines[r + 1].Split(',')[..^1].Select(PredictTestData.Number).ToArray();
                Assert.Equal($"p{r + 100}", rows[r][0]);
                Assert.Equal(PredictTestData.DiabetesValue(features), PredictTestData.Number(rows[r][1]), 1e-6);
            }

            Assert.Contains("standard output", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Parquet_input_scores_like_its_csv_in_several_batches()
    {
        Assert.Equal(0, (await ImportIrisAsync()).ExitCode);
        var iris = await CsvTableReader.LoadAsync(CliRunner.Sample("iris.csv"), new TableLoadOptions(), null, CancellationToken.None);
        var parquet = Out("iris.parquet");
        await ParquetTableWriter.WriteAsync(iris.Table, parquet, CancellationToken.None);

        var fromCsv = await CliRunner.RunAsync(_home, "predict", "iris@challenger", CliRunner.Sample("iris.csv"), "-o", "-");
        var fromParquet = await CliRunner.RunAsync(_home, "predict", "iris/1", parquet, "--batch-size", "16");

        Assert.True(fromParquet.ExitCode == 0, fromParquet.ToString());
        Assert.Equal(fromCsv.Output, fromParquet.Output);
        await AssertIrisPredictionsAsync(fromParquet.Output);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_names_the_file_row_and_column_and_leaves_no_output()
    {
        Assert.Equal(0, (await ImportIrisAsync()).ExitCode);
        var lines = File.ReadAllLines(CliRunner.Sample("iris.csv"));
        var fields = lines[40].Split(',');
        fields[1] = "wide";
        lines[40] = string.Join(',', fields);
        var data = Out("bad.csv");
        File.WriteAllLines(data, lines);
        File.WriteAllText(Out("scores.csv"), "previous\n");

        var result = await CliRunner.RunAsync(_home, "predict", "iris@challenger", data, "-o", Out("scores.csv"), "--batch-size", "16");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(column 'sepal_width_cm')", result.Error, StringComparison.Ordinal);
        Assert.Contains("row 40 holds 'wide'", result.Error, StringComparison.Ordinal);
        Assert.Equal("previous\n", File.ReadAllText(Out("scores.csv")));
        Assert.DoesNotContain(Directory.EnumerateFiles(_home), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_value_the_onnx_model_cannot_take_names_its_row_and_column()
    {
        var package = await PackageAsync("penguins_columns.onnx", new OnnxImportOptions());

        var result = await CliRunner.RunAsync(_home, "predict", package, CliRunner.Sample("penguins.csv"), "--batch-size", "2");

        // Row 4 of penguins.csv is the first with no measurements.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(column 'bill_length_mm')", result.Error, StringComparison.Ordinal);
        Assert.Contains("empty in row 4", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_column_is_named_with_the_file()
    {
        Assert.Equal(0, (await ImportIrisAsync()).ExitCode);
        var data = Out("three.csv");
        File.WriteAllLines(data, File.ReadAllLines(CliRunner.Sample("iris.csv")).Select(l => string.Join(',', l.Split(',')[..3])));

        var result = await CliRunner.RunAsync(_home, "predict", "iris@challenger", data, "-o", Out("never.csv"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{data} (column 'petal_width_cm'): it has no column 'petal_width_cm'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out("never.csv")));
    }

    [Fact]
    public async Task A_row_the_loader_cannot_read_is_refused_naming_its_line()
    {
        Assert.Equal(0, (await ImportIrisAsync()).ExitCode);
        var lines = File.ReadAllLines(CliRunner.Sample("iris.csv")).ToList();
        lines[10] += ",extra";
        var data = Out("ragged.csv");
        File.WriteAllLines(data, lines);

        var result = await CliRunner.RunAsync(_home, "predict", "iris@challenger", data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{data}:11", result.Error, StringComparison.Ordinal);
        Assert.Contains("has 6 fields, expected 5", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_corrupt_onnx_file_is_refused_and_nothing_is_registered()
    {
        var bytes = File.ReadAllBytes(PredictTestData.Fixture("iris_logreg.onnx"));
        var corrupt = Out("corrupt.onnx");
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);

        var result = await CliRunner.RunAsync(_home, "models", "import", corrupt, "--name", "broken");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not an ONNX model ONNX Runtime can load", result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await CliRunner.RunAsync(_home, "models", "list", "--json")).Output.Trim());
        Assert.Equal("[]", (await CliRunner.RunAsync(_home, "runs", "list", "--json")).Output.Trim());
    }

    [Theory]
    [InlineData(1, "image_input.onnx", "input 'pixels' is tensor(float) [N, 1, 4, 4]")]
    [InlineData(2, "iris_logreg.onnx", "--classes names 2 classes", "--classes", "a,b")]
    [InlineData(2, "iris_logreg.onnx", "not both", "--columns", "a,b,c,d", "--columns-from", "x.csv")]
    [InlineData(2, "iris_logreg.onnx", "task 'ranking' is not known", "--task", "ranking")]
    public async Task Import_refusals_name_the_problem(int exitCode, string fixture, string expected, params string[] options)
    {
        var result = await CliRunner.RunAsync(_home, ["models", "import", PredictTestData.Fixture(fixture), "--name", "m", .. options]);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await CliRunner.RunAsync(_home, "models", "list", "--json")).Output.Trim());
    }

    [Theory]
    [InlineData("nosuch@challenger", "no registered model is named 'nosuch'")]
    [InlineData("iris@champion", "model 'iris' has no alias 'champion' (its aliases: challenger (version 1))")]
    [InlineData("iris/7", "model 'iris' has no version 7")]
    [InlineData("no-such-package", "is neither a model package")]
    public async Task Unknown_models_are_refused_by_name(string model, string expected)
    {
        Assert.Equal(0, (await ImportIrisAsync()).ExitCode);

        var result = await CliRunner.RunAsync(_home, "predict", model, CliRunner.Sample("iris.csv"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_whose_source_is_a_folder_is_copied_from_there()
    {
        var package = await PackageAsync("iris_logreg.onnx", new OnnxImportOptions { HeaderColumns = await HeaderAsync("iris.csv"), Classes = IrisClasses });
        await using (var store = await SqliteTrackingStore.OpenAsync(Path.Combine(_home, "ferry.db"), TimeProvider.System, CancellationToken.None))
        {
            await store.CreateRegisteredModelAsync("outside", null, null, CancellationToken.None);
            await store.CreateModelVersionAsync(new CreateModelVersionRequest("outside", new Uri(package).AbsoluteUri), CancellationToken.None);
        }

        var result = await CliRunner.RunAsync(_home, "predict", "outside/1", CliRunner.Sample("iris.csv"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("downloaded", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home, "cache", "models", "outside", "1", "package", "model.json")));
        await AssertIrisPredictionsAsync(result.Output);
    }

    [Fact]
    public async Task An_unknown_id_column_is_a_usage_error()
    {
        var package = await PackageAsync("iris_logreg.onnx", new OnnxImportOptions { HeaderColumns = await HeaderAsync("iris.csv") });

        var result = await CliRunner.RunAsync(_home, "predict", package, CliRunner.Sample("iris.csv"), "--id", "customer");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--id names column 'customer'", result.Error, StringComparison.Ordinal);
    }

    private Task<CliResult> ImportIrisAsync() =>
        CliRunner.RunAsync(_home, "models", "import", PredictTestData.Fixture("iris_logreg.onnx"), "--name", "iris",
            "--classes", string.Join(',', IrisClasses), "--columns-from", CliRunner.Sample("iris.csv"));

    private async Task<string> PackageAsync(string fixture, OnnxImportOptions options)
    {
        var import = await OnnxImporter.InspectAsync(PredictTestData.Fixture(fixture), options, CancellationToken.None);
        var folder = Out(Path.GetFileNameWithoutExtension(fixture) + "-package");
        await OnnxImporter.WritePackageAsync(folder, import, null, TimeProvider.System, CancellationToken.None);
        return folder;
    }

    private static async Task<string[]> HeaderAsync(string sample) =>
        [.. (await CsvTableReader.LoadAsync(CliRunner.Sample(sample), new TableLoadOptions(), null, CancellationToken.None)).Table.Columns.Select(c => c.Name)];

    private static async Task AssertIrisPredictionsAsync(string csv)
    {
        var lines = await File.ReadAllLinesAsync(CliRunner.Sample("iris.csv"));
        var (header, rows) = PredictTestData.ReadCsv(csv);
        Assert.Equal(["row", "prediction", "probability_setosa", "probability_versicolor", "probability_virginica"], header);
        Assert.Equal(150, rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            var expected = PredictTestData.IrisProbabilities([.. lines[r + 1].Split(',')[..4].Select(PredictTestData.Number)]);
            Assert.Equal((r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), rows[r][0]);
            Assert.Equal(IrisClasses[Array.IndexOf(expected, expected.Max())], rows[r][1]);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k], PredictTestData.Number(rows[r][2 + k]), 1e-4);
            }
        }
    }

    private string Out(string name) => Path.Combine(_home, name);
}
