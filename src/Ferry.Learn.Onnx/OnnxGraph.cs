using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Learn.Onnx;

/// <summary>
/// An ONNX model as ONNX Runtime loaded it: its inputs and outputs in graph order, its metadata properties and the
/// class labels its classifier nodes carry. Opening it is the check that the file is a model ONNX Runtime can run.
/// </summary>
internal sealed class OnnxGraph
{
    private static readonly string[] ClassKeys = ["classes", "class_labels", "labels"];

    private OnnxGraph(string source, IReadOnlyList<OnnxPort> inputs, IReadOnlyList<OnnxPort> outputs, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string>? graphLabels)
    {
        Source = source;
        Inputs = inputs;
        Outputs = outputs;
        Metadata = metadata;
        GraphLabels = graphLabels;
    }

    /// <summary>The file, for messages.</summary>
    public string Source { get; }

    /// <summary>The graph's inputs, in order.</summary>
    public IReadOnlyList<OnnxPort> Inputs { get; }

    /// <summary>The graph's outputs, in order.</summary>
    public IReadOnlyList<OnnxPort> Outputs { get; }

    /// <summary>The model's metadata properties (<c>metadata_props</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Class labels from a ZipMap or classifier node, if the graph has one.</summary>
    public IReadOnlyList<string>? GraphLabels { get; }

    /// <summary>Class labels from the metadata property <c>classes</c>, <c>class_labels</c> or <c>labels</c>: a JSON array or comma-separated.</summary>
    public IReadOnlyList<string>? MetadataLabels
    {
        get
        {
            var text = Metadata.FirstOrDefault(p => ClassKeys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (text.StartsWith('['))
            {
                try
                {
                    using var json = JsonDocument.Parse(text);
                    return [.. json.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())];
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    return null;
                }
            }

            return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }
    }

    /// <summary>Reads the graph of an open session.</summary>
    public static OnnxGraph Of(InferenceSession session, string path, string source)
    {
        ArgumentNullException.ThrowIfNull(session);
        var inputs = session.InputNames.Select(n => OnnxPort.From(n, session.InputMetadata[n])).ToList();
        var outputs = session.OutputNames.Select(n => OnnxPort.From(n, session.OutputMetadata[n])).ToList();
        var metadata = session.ModelMetadata.CustomMetadataMap;
        return new OnnxGraph(source, inputs, outputs, new Dictionary<string, string>(metadata, StringComparer.Ordinal), OnnxGraphLabels.Read(path));
    }

    /// <summary>Opens an ONNX Runtime session on <paramref name="path"/>, quietly (ONNX Runtime's warnings do not reach the console).</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="invalid">Builds the error for a file ONNX Runtime refuses, from its message.</param>
    /// <exception cref="FerryException">The file cannot be loaded (from <paramref name="invalid"/>), or ONNX_UNAVAILABLE when ONNX Runtime's native library cannot load.</exception>
    public static InferenceSession Open(string path, Func<string, FerryException> invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw invalid(e.Message);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw FerryException.Invalid("ONNX_UNAVAILABLE", $"ONNX Runtime's native library could not be loaded on this machine ({e.Message})", inner: e);
        }
    }
}
