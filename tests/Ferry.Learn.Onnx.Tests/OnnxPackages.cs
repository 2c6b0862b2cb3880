using Ferry.Learn.Packaging;

namespace Ferry.Learn.Onnx.Tests;

/// <summary>Imports a fixture into a package folder and loads it back through the flavor registry, as serving does.</summary>
internal sealed class OnnxPackages : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ferry-onnx-");
    private int _count;

    public static ModelFlavors Flavors { get; } = new([new OnnxFlavor()]);

    public async Task<string> ImportAsync(string fixture, OnnxImportOptions? options = null)
    {
        var import = await OnnxImporter.InspectAsync(OnnxTestPaths.Fixture(fixture), options ?? new OnnxImportOptions(), CancellationToken.None);
        var target = Path.Combine(_root.FullName, $"package-{Interlocked.Increment(ref _count)}");
        await OnnxImporter.WritePackageAsync(target, import, "run-1", TimeProvider.System, CancellationToken.None);
        return target;
    }

    public async Task<IPredictor> LoadAsync(string fixture, OnnxImportOptions? options = null) =>
        await Flavors.LoadPredictorAsync(await ImportAsync(fixture, options), CancellationToken.None);

    public string Temp(string name) => Path.Combine(_root.FullName, name);

    public void Dispose() => _root.Delete(recursive: true);
}
