using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn;

namespace Ferry.Serving.Protocols;

/// <summary>
/// The Open Inference Protocol (KServe v2) REST bodies: <c>POST /v2/models/{name}[/versions/{v}]/infer</c> and
/// <c>GET /v2/models/{name}[/versions/{v}]</c>.
/// <para>Requests are <c>{"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "data", "parameters"?}], "outputs"?: [{"name"}]}</c>
/// with either one tensor per signature input (named after it, shape [N] or [N, 1]) or, when every input is numeric,
/// one [N, F] tensor (any name) whose columns are the inputs in signature order. Numeric inputs take FP*/INT*/UINT*,
/// categorical ones BYTES (or numbers, BOOL), boolean ones BOOL or BYTES, text and date ones BYTES. A null element is
/// missing; FP data may hold "NaN"/"Infinity" strings (also missing). Parameters are ignored.</para>
/// <para>Responses are <c>{"model_name", "model_version", "id"?, "outputs": [...]}</c>. Classification gives
/// <c>label</c> (BYTES, [N]) and <c>probabilities</c> (FP32, [N, K], row-major, one column per class) whose
/// <c>parameters.classes</c> names the columns, comma-separated, in order; regression gives <c>value</c> (FP64, [N]).
/// A request's <c>outputs</c> list picks and orders them. NaN and infinities are written as the strings "NaN",
/// "Infinity", "-Infinity" since JSON numbers cannot hold them.</para>
/// Immutable and thread-safe: create one per served version.
/// </summary>
public sealed class OpenInferenceCodec
{
    /// <summary>The predicted class per row (BYTES, [N]).</summary>
    public const string LabelOutput = "label";

    /// <summary>The class probabilities (FP32, [N, K]).</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The predicted value per row for regression (FP64, [N]).</summary>
    public const string ValueOutput = "value";

    private static readonly string[] Keys = ["id", "parameters", "inputs", "outputs"];
    private static readonly string[] ClassOutputs = [LabelOutput, ProbabilitiesOutput];
    private static readonly string[] ValueOutputs = [ValueOutput];

    private readonly RowsDecoder _rows;

    // The classes parameter, joined once: predictors return the signature's own class list.
    private readonly string _classes;

    /// <summary>Prepares the codec for <paramref name="signature"/> under <paramref name="policy"/> (the defaults when null).</summary>
    public OpenInferenceCodec(ModelSignature signature, InputPolicy? policy = null)
    {
        _rows = new RowsDecoder(signature, policy);
        _classes = string.Join(",", signature.Classes);
        OutputNames = signature.Task == TaskKind.Regression ? ValueOutputs : ClassOutputs;
    }

    /// <summary>The outputs this model gives, in their default order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Decodes an inference request body.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the key, tensor (and element) at fault.</exception>
    public OpenInferenceRequest Decode(JsonElement body)
    {
        JsonBody.CheckKeys(body, Keys, "\"inputs\" (and optionally \"id\", \"parameters\", \"outputs\")");
        string? id = null;
        if (body.TryGetProperty("id"u8, out var idValue))
        {
            id = idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : throw ProtocolErrors.Request($"id must be a string, got {ProtocolErrors.Shown(idValue)}");
        }

        var outputs = body.TryGetProperty("outputs"u8, out var outputsValue) ? RequestedOutputs(outputsValue) : null;
        if (!body.TryGetProperty("inputs"u8, out var inputs))
        {
            throw ProtocolErrors.Request("the request has no \"inputs\"; send a list of tensors {\"name\", \"shape\", \"datatype\", \"data\"}");
        }

        return new OpenInferenceRequest(OpenInferenceTensors.Decode(_rows, inputs), id, outputs);
    }

    /// <summary>Decodes an inference request body given as UTF-8 JSON.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when it is not JSON, or as <see cref="Decode(JsonElement)"/>.</exception>
    public OpenInferenceRequest Decode(ReadOnlyMemory<byte> utf8)
    {
        if (OpenInferenceFastPath.TryDecode(utf8.Span, _rows, out var plain))
        {
            return plain!;
        }

        using var document = JsonBody.Parse(utf8);
        return Decode(document.RootElement);
    }

    /// <summary>Writes the inference response for <paramref name="request"/>: its id echoed, the outputs it asked for.</summary>
    public void WriteResponse(Utf8JsonWriter writer, Predictions predictions, ServableId servable, OpenInferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        WriteResponse(writer, predictions, servable, request.Id, request.Outputs);
    }

    /// <summary>Writes an inference response.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="predictions">What the version returned.</param>
    /// <param name="servable">The version that answered (<c>model_name</c>, <c>model_version</c>).</param>
    /// <param name="id">The id to echo (the request's, or one the server gave it); omitted when null.</param>
    /// <param name="outputs">The outputs to write, in order, from <see cref="Decode(JsonElement)"/>; null for all of <see cref="OutputNames"/>.</param>
    public void WriteResponse(Utf8JsonWriter writer, Predictions predictions, ServableId servable, string? id, IReadOnlyList<string>? outputs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(predictions);
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, servable.Model);
        writer.WriteString("model_version"u8, JsonBody.Version(servable));
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        writer.WriteStartArray("outputs"u8);
        foreach (var name in outputs ?? OutputNames)
        {
            WriteOutput(writer, name, predictions);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The inference response as UTF-8 JSON.</summary>
    public byte[] EncodeResponse(Predictions predictions, ServableId servable, OpenInferenceRequest request) =>
        JsonBody.ToBytes((this, predictions, servable, request), static (w, s) => s.Item1.WriteResponse(w, s.predictions, s.servable, s.request));

    /// <summary>Writes model metadata: <c>{"name", "versions", "platform": "ferry_&lt;flavor&gt;", "inputs", "outputs"}</c>, each tensor as <c>{"name", "datatype", "shape"}</c> with -1 for the batch.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="name">The model's name.</param>
    /// <param name="versions">The versions served (or the one asked about).</param>
    /// <param name="flavor">The package flavor (<c>mlnet</c>, <c>onnx</c>...).</param>
    public void WriteMetadata(Utf8JsonWriter writer, string name, IReadOnlyList<int> versions, string flavor)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(versions);
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WriteStartArray("versions"u8);
        foreach (var version in versions)
        {
            writer.WriteStringValue(JsonBody.Version(new ServableId(name, version)));
        }

        writer.WriteEndArray();
        writer.WriteString("platform"u8, "ferry_" + flavor);
        writer.WriteStartArray("inputs"u8);
        foreach (var input in _rows.Signature.Inputs)
        {
            WriteTensorMeta(writer, input.Name, TensorTypes.For(input.Kind), -1);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("outputs"u8);
        foreach (var output in OutputNames)
        {
            var (datatype, width) = output switch
            {
                LabelOutput => (TensorTypes.Bytes, -1),
                ProbabilitiesOutput => (TensorTypes.Fp32, _rows.Signature.Classes.Count),
                _ => (TensorTypes.Fp64, -1),
            };
            WriteTensorMeta(writer, output, datatype, width);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Model metadata as UTF-8 JSON.</summary>
    public byte[] EncodeMetadata(string name, IReadOnlyList<int> versions, string flavor) =>
        JsonBody.ToBytes((this, name, versions, flavor), static (w, s) => s.Item1.WriteMetadata(w, s.name, s.versions, s.flavor));

    private static void WriteTensorMeta(Utf8JsonWriter writer, string name, string datatype, int width)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WriteString("datatype"u8, datatype);
        writer.WriteStartArray("shape"u8);
        writer.WriteNumberValue(-1);
        if (width >= 0)
        {
            writer.WriteNumberValue(width);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteOutput(Utf8JsonWriter writer, string name, Predictions predictions)
    {
        var rows = predictions.Count;
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        switch (name)
        {
            case LabelOutput:
                writer.WriteString("datatype"u8, TensorTypes.Bytes);
                WriteShape(writer, rows, -1);
                writer.WriteStartArray("data"u8);
                foreach (var label in predictions.Labels!)
                {
                    writer.WriteStringValue(label);
                }

                writer.WriteEndArray();
                break;
            case ProbabilitiesOutput:
                writer.WriteString("datatype"u8, TensorTypes.Fp32);
                WriteShape(writer, rows, predictions.Classes.Count);
                writer.WriteStartObject("parameters"u8);
                writer.WriteString("classes"u8, ReferenceEquals(predictions.Classes, _rows.Signature.Classes) ? _classes : string.Join(",", predictions.Classes));
                writer.WriteEndObject();
                writer.WriteStartArray("data"u8);
                foreach (var row in predictions.Probabilities!)
                {
                    foreach (var p in row)
                    {
                        JsonBody.WriteNumber(writer, p);
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteString("datatype"u8, TensorTypes.Fp64);
                WriteShape(writer, rows, -1);
                writer.WriteStartArray("data"u8);
                foreach (var value in predictions.Values!)
                {
                    JsonBody.WriteNumber(writer, value);
                }

                writer.WriteEndArray();
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteShape(Utf8JsonWriter writer, int rows, int width)
    {
        writer.WriteStartArray("shape"u8);
        writer.WriteNumberValue(rows);
        if (width >= 0)
        {
            writer.WriteNumberValue(width);
        }

        writer.WriteEndArray();
    }

    private List<string>? RequestedOutputs(JsonElement outputs)
    {
        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw ProtocolErrors.Request($"outputs must be a list of {{\"name\"}} objects, got {ProtocolErrors.Shown(outputs)}");
        }

        var names = new List<string>(outputs.GetArrayLength());
        var i = 0;
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name"u8, out var nameValue) || nameValue.ValueKind != JsonValueKind.String)
            {
                throw ProtocolErrors.Request($"outputs[{i}] must be an object with a \"name\" string, got {ProtocolErrors.Shown(output)}");
            }

            var name = nameValue.GetString()!;
            var known = OutputNames.Contains(name, StringComparer.Ordinal) ? name : null;
            if (known is null)
            {
                throw ProtocolErrors.Request($"outputs[{i}] asks for '{name}', which this model does not give; it gives {InputLayout.Listed(OutputNames)}", name);
            }

            if (!names.Contains(known, StringComparer.Ordinal))
            {
                names.Add(known);
            }

            i++;
        }

        return names.Count == 0 ? null : names;
    }
}
