using Ferry.Learn.Packaging;

namespace Ferry.Learn.Onnx;

/// <summary>
/// Loads <c>onnx</c> model packages (written by <see cref="OnnxImporter"/>): the package's <see cref="ModelFile"/> is
/// served by one ONNX Runtime session, created at load and shared by every call; <c>model.json</c>'s settings say
/// which inputs and outputs to use, as import decided.
/// </summary>
public sealed class OnnxFlavor : IModelFlavor
{
    /// <summary>The flavor name in <c>model.json</c>.</summary>
    public const string FlavorName = "onnx";

    /// <summary>The learner name imported packages carry.</summary>
    public const string LearnerName = "onnx";

    /// <summary>The ONNX file inside a package.</summary>
    public const string ModelFile = "model/model.onnx";

    /// <inheritdoc />
    public string Name => FlavorName;

    /// <inheritdoc />
    /// <exception cref="FerryException">PACKAGE_INVALID when the package lacks its model file or settings, ONNX Runtime refuses the file,
    /// or the graph does not match the signature; ONNX_UNAVAILABLE when ONNX Runtime cannot load on this machine.</exception>
    public Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        cancellationToken.ThrowIfCancellationRequested();
        var path = package.PathOf(ModelFile);
        var binding = OnnxBinding.FromSettings(package.Manifest.Settings, package.Source);
        var session = OnnxGraph.Open(path, message =>
            FerryException.Invalid("PACKAGE_INVALID", $"model package '{package.Source}' cannot be used: ONNX Runtime cannot load its {ModelFile} ({message})"));
        try
        {
            return Task.FromResult<IPredictor>(OnnxPredictor.Create(session, package.Manifest.Signature, binding, package.Source));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
