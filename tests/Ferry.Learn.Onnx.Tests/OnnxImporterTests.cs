using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn.Packaging;

namespace Ferry.Learn.Onnx.Tests;

public sealed class OnnxImporterTests : IDisposable
{
    private readonly OnnxPackages _packages = new();

    public void Dispose() => _packages.Dispose();

    [Fact]
    public async Task The_package_holds_the_file_its_hash_the_signature_and_the_runtime_version()
    {
        var source = OnnxTestPaths.Fixture("penguins_columns.onnx");
        var folder = await _packages.ImportAsync("penguins_columns.onnx");

        using var package = await ModelPackage.OpenAsync(folder, CancellationToken.None);

        var sha = await ModelPackage.HashFileAsync(source, CancellationToken.None);
        Assert.Equal("onnx", package.Manifest.Flavor);
        Assert.Equal(sha, package.Manifest.Files[OnnxFlavor.ModelFile]);
        Assert.Equal(sha, package.Manifest.Settings![OnnxImporter.SourceHashSetting]);
        Assert.Equal("run-1", package.Manifest.Training.RunId);
        Assert.Matches(@"^\d+\.\d+\.\d+", package.Manifest.Training.Libraries["Microsoft.ML.OnnxRuntime"]);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(package.PathOf(OnnxFlavor.ModelFile)));
        Assert.Equal(TaskKind.Multiclass, package.Manifest.Signature.Task);
    }

    [Fact]
    public async Task Inspection_describes_what_it_read()
    {
        var import = await OnnxImporter.InspectAsync(OnnxTestPaths.Fixture("iris_logreg.onnx"), new OnnxImportOptions(), CancellationToken.None);

        Assert.Equal("input[:, 2] of tensor(float) [N, 4]", import.InputTypes[2]);
        Assert.Contains("'probabilities' tensor(float) [N, 3]", import.Output, StringComparison.Ordinal);
        Assert.Contains("label 'label' tensor(int64) [N]", import.Output, StringComparison.Ordinal);
        Assert.Contains(import.Notes, n => n.Contains("f0..f3", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image_input.onnx", "ONNX_UNSUPPORTED", "input 'pixels' is tensor(float) [N, 1, 4, 4]")]
    [InlineData("labels_only.onnx", "ONNX_UNSUPPORTED", "output 'label' (tensor(int64) [N]) gives class labels only")]
    public async Task Graphs_Ferry_cannot_serve_are_refused_naming_the_input_or_output(string fixture, string code, string expected)
    {
        var error = await Assert.ThrowsAsync<FerryException>(() => OnnxImporter.InspectAsync(OnnxTestPaths.Fixture(fixture), new OnnxImportOptions(), CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_onnx_is_refused()
    {
        var corrupt = _packages.Temp("corrupt.onnx");
        var bytes = File.ReadAllBytes(OnnxTestPaths.Fixture("iris_logreg.onnx"));
        await File.WriteAllBytesAsync(corrupt, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var text = _packages.Temp("text.onnx");
        await File.WriteAllTextAsync(text, "this is not a model\n");

        foreach (var path in new[] { corrupt, text })
        {
            var error = await Assert.ThrowsAsync<FerryException>(() => OnnxImporter.InspectAsync(path, new OnnxImportOptions(), CancellationToken.None));
            Assert.Equal("ONNX_INVALID", error.Code);
            Assert.Equal(path, error.Location!.File);
        }

        var absent = await Assert.ThrowsAsync<FerryException>(() => OnnxImporter.InspectAsync(_packages.Temp("none.onnx"), new OnnxImportOptions(), CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, absent.Kind);
    }

    public static TheoryData<string, OnnxImportOptions, string> BadOptions => new()
    {
        { "iris_logreg.onnx", new OnnxImportOptions { Columns = ["a", "b"] }, "--columns names 2 columns" },
        { "iris_logreg.onnx", new OnnxImportOptions { Columns = ["a", "b", "a", "c"] }, "'a' appears twice" },
        { "iris_logreg.onnx", new OnnxImportOptions { HeaderColumns = ["a", "b", "c", "d", "e", "f"] }, "header of --columns-from has 6 columns" },
        { "iris_logreg.onnx", new OnnxImportOptions { Classes = ["x", "y"] }, "--classes names 2 classes" },
        { "iris_logreg.onnx", new OnnxImportOptions { Task = TaskKind.Binary }, "--task binary" },
        { "iris_logreg.onnx", new OnnxImportOptions { Task = TaskKind.Regression }, "no output gives one float per row" },
        { "penguins_columns.onnx", new OnnxImportOptions { Columns = ["a"] }, "leave --columns out" },
        { "diabetes_linear.onnx", new OnnxImportOptions { Classes = ["a", "b"] }, "leave --classes out" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Options_that_do_not_fit_the_graph_are_refused(string fixture, OnnxImportOptions options, string expected)
    {
        var error = await Assert.ThrowsAsync<FerryException>(() => OnnxImporter.InspectAsync(OnnxTestPaths.Fixture(fixture), options, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_with_one_more_column_drops_the_label()
    {
        var import = await OnnxImporter.InspectAsync(OnnxTestPaths.Fixture("iris_logreg.onnx"), new OnnxImportOptions { HeaderColumns = ["a", "label", "b", "c", "d"] }, CancellationToken.None);

        Assert.Equal(["a", "b", "c", "d"], import.Signature.Inputs.Select(i => i.Name));
    }

    [Fact]
    public void Graph_labels_come_from_the_zipmap_and_unreadable_bytes_give_none()
    {
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], OnnxGraphLabels.Read(OnnxTestPaths.Fixture("penguins_columns.onnx")));
        Assert.Null(OnnxGraphLabels.Read(OnnxTestPaths.Fixture("iris_logreg.onnx")));
        var garbage = _packages.Temp("garbage.onnx");
        File.WriteAllBytes(garbage, [0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
        Assert.Null(OnnxGraphLabels.Read(garbage));
    }

    [Fact]
    public async Task A_package_whose_settings_name_another_output_is_refused_at_load()
    {
        var folder = await _packages.ImportAsync("diabetes_linear.onnx");
        var manifestPath = Path.Combine(folder, ModelPackage.ManifestFile);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), FerryJson.Compact)!;
        var settings = manifest.Settings!.ToDictionary(p => p.Key, p => p.Value);
        settings["onnx.output"] = "nope";
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest with { Settings = settings }, FerryJson.Indented));

        var error = await Assert.ThrowsAsync<FerryException>(() => OnnxPackages.Flavors.LoadPredictorAsync(folder, CancellationToken.None));

        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }
}
