using Ferry.Learn.Packaging;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Learn.Onnx;

/// <summary>
/// Turns an <c>.onnx</c> file into a Ferry model package of flavor <c>onnx</c>: <see cref="InspectAsync"/> loads it in
/// ONNX Runtime and reads its signature from the graph; <see cref="WritePackageAsync"/> writes <c>model.json</c> and
/// <c>model/model.onnx</c> (a byte-for-byte copy, so its SHA-256 in the manifest is the file's).
/// </summary>
/// <remarks>
/// What can be served: one 2-D float or double input [N, F] (columns named by the options, else f0..f{F-1}), or one
/// [N, 1] input per column named by the graph (numbers or strings, as skl2onnx exports); outputs of class probabilities
/// (a float tensor [N, C] or skl2onnx's seq(map)), optionally with a label output, or one float per row for regression.
/// The task, when not given, is classification when a probability output exists and regression otherwise; one number
/// per row is read as the second class's probability only when the task is given as binary. Class labels come from the
/// options, else the model's metadata property <c>classes</c>, else the graph's ZipMap or classifier node, else 0..C-1.
/// </remarks>
public static class OnnxImporter
{
    /// <summary>The setting holding the imported file's name.</summary>
    public const string SourceSetting = "source";

    /// <summary>The setting holding the imported file's SHA-256.</summary>
    public const string SourceHashSetting = "source.sha256";

    /// <summary>Loads <paramref name="onnxFile"/> in ONNX Runtime and reads how to serve it.</summary>
    /// <exception cref="FerryException">FILE_NOT_FOUND; ONNX_INVALID when ONNX Runtime cannot load the file; ONNX_UNSUPPORTED naming the input
    /// or output Ferry cannot serve; ONNX_OPTION_INVALID (usage) when the options do not fit the graph.</exception>
    public static async Task<OnnxImport> InspectAsync(string onnxFile, OnnxImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxFile);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(onnxFile);
        if (!File.Exists(full))
        {
            throw FerryException.NotFound("FILE_NOT_FOUND", $"'{onnxFile}' does not exist; give the path of an .onnx file");
        }

        var sha256 = await ModelPackage.HashFileAsync(full, cancellationToken);
        using var session = OnnxGraph.Open(full, message => FerryException.Invalid(
            "ONNX_INVALID",
            $"is not an ONNX model ONNX Runtime can load ({message}); check that it is a complete .onnx file",
            new SourceLocation(onnxFile)));
        var graph = OnnxGraph.Of(session, full, onnxFile);
        var (signature, binding, notes) = OnnxSignatureReader.Read(graph, options);
        var inputTypes = binding.Layout == OnnxLayout.Matrix
            ? signature.Inputs.Select((_, i) => $"{binding.MatrixInput}[:, {i}] of {graph.Inputs[0].Describe()}").ToList()
            : graph.Inputs.Select(i => i.Describe()).ToList();
        var output = graph.Outputs.First(o => o.Name == binding.Output);
        var outputText = $"'{output.Name}' {output.Describe()} ({Reading(binding.OutputKind)})";
        if (binding.LabelOutput is { } label)
        {
            outputText += $", label '{label}' {graph.Outputs.First(o => o.Name == label).Describe()}";
        }

        return new OnnxImport(full, sha256, signature, inputTypes, outputText, binding, notes);
    }

    /// <summary>Writes the package folder <paramref name="target"/> (which must not exist) for an inspected file.</summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="import">What <see cref="InspectAsync"/> read.</param>
    /// <param name="runId">The tracking run that imports it, if tracked.</param>
    /// <param name="time">The clock for the package's creation time.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
    /// <returns>The manifest as written.</returns>
    /// <exception cref="FerryException">PACKAGE_INVALID when the file changed since it was inspected.</exception>
    public static Task<ModelManifest> WritePackageAsync(string target, OnnxImport import, string? runId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(time);
        var settings = import.Binding.ToSettings();
        settings[SourceSetting] = Path.GetFileName(import.SourcePath);
        settings[SourceHashSetting] = import.Sha256;
        var training = new TrainingInfo(time.GetUtcNow(), typeof(OnnxImporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", runId, null, 0, LibraryVersions());
        var manifest = new ModelManifest(0, OnnxFlavor.FlavorName, OnnxFlavor.LearnerName, import.Signature, new Dictionary<string, string>(), training, settings);
        return ModelPackageWriter.WriteAsync(target, manifest, async (folder, ct) =>
        {
            var copy = Path.Combine(folder, OnnxFlavor.ModelFile);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(import.SourcePath, copy);
            var hash = await ModelPackage.HashFileAsync(copy, ct);
            if (hash != import.Sha256)
            {
                throw FerryException.Invalid("PACKAGE_INVALID", $"'{import.SourcePath}' changed while it was imported (SHA-256 {hash}, was {import.Sha256}); import it again");
            }
        }, cancellationToken);
    }

    /// <summary>The library versions recorded in an onnx package's training info.</summary>
    public static IReadOnlyDictionary<string, string> LibraryVersions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["Microsoft.ML.OnnxRuntime"] = OrtEnv.Instance().GetVersionString(),
    };

    private static string Reading(OnnxOutputKind kind) => kind switch
    {
        OnnxOutputKind.Probabilities => "class probabilities",
        OnnxOutputKind.ProbabilityMaps => "class probabilities, one map per row",
        OnnxOutputKind.Sigmoid => "probability of the second class",
        _ => "predicted value",
    };
}

/// <summary>An ONNX file read for import: where it is, its hash, the signature Ferry serves it with and what was decided.</summary>
public sealed class OnnxImport
{
    internal OnnxImport(string sourcePath, string sha256, ModelSignature signature, IReadOnlyList<string> inputTypes, string output, OnnxBinding binding, IReadOnlyList<string> notes)
    {
        SourcePath = sourcePath;
        Sha256 = sha256;
        Signature = signature;
        InputTypes = inputTypes;
        Output = output;
        Binding = binding;
        Notes = notes;
    }

    /// <summary>The file's full path.</summary>
    public string SourcePath { get; }

    /// <summary>The file's SHA-256, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>The signature read from the graph and the options.</summary>
    public ModelSignature Signature { get; }

    /// <summary>For each signature input, the graph input (and type) it feeds, for people.</summary>
    public IReadOnlyList<string> InputTypes { get; }

    /// <summary>The output read, with its type and meaning, for people.</summary>
    public string Output { get; }

    /// <summary>What was decided and how to change it (default column or class names, where labels came from).</summary>
    public IReadOnlyList<string> Notes { get; }

    internal OnnxBinding Binding { get; }
}
