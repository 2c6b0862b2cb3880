using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn;

namespace Ferry.Serving.Protocols;

/// <summary>
/// TF Serving's REST predict bodies (also KServe's v1 protocol): <c>POST /v1/models/{name}[/versions/{v}]:predict</c>.
/// <para>Requests are <c>{"signature_name"?, "instances": [{column: value}, ...]}</c> (row format) or
/// <c>{"signature_name"?, "inputs": {column: [value, ...]}}</c> (columnar), never both; the only signature is
/// <c>serving_default</c>. Values are checked as <see cref="RowsDecoder"/> does.</para>
/// <para>Row requests are answered <c>{"predictions": [...], "model_version": "3"}</c>: for classification one
/// <c>{"label": "a", "probabilities": {"a": 0.9, "b": 0.1}}</c> per row (classes in model order), for regression one
/// number per row. Columnar requests are answered, as TF Serving does, under <c>outputs</c> instead:
/// <c>{"label": [...], "probabilities": [{...}, ...]}</c> or a list of numbers. NaN and infinities are written as the
/// strings "NaN", "Infinity", "-Infinity" (Ferry writes strict JSON; TF Serving writes bare tokens).</para>
/// Immutable and thread-safe: create one per served version.
/// </summary>
public sealed class PredictCodec
{
    /// <summary>The one signature name a Ferry model answers to.</summary>
    public const string DefaultSignature = "serving_default";

    private static readonly string[] Keys = ["signature_name", "instances", "inputs"];
    private const string Described = "\"instances\" (rows) or \"inputs\" (columns), and optionally \"signature_name\"";

    private readonly RowsDecoder _rows;

    /// <summary>Prepares the codec for <paramref name="signature"/> under <paramref name="policy"/> (the defaults when null).</summary>
    public PredictCodec(ModelSignature signature, InputPolicy? policy = null) => _rows = new RowsDecoder(signature, policy);

    /// <summary>Decodes a predict request body.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the key, field and row at fault.</exception>
    public PredictRequest Decode(JsonElement body)
    {
        JsonBody.CheckKeys(body, Keys, Described);
        if (body.TryGetProperty("signature_name"u8, out var signature)
            && (signature.ValueKind != JsonValueKind.String || !signature.ValueEquals(DefaultSignature)))
        {
            throw ProtocolErrors.Request($"signature_name is {ProtocolErrors.Shown(signature)}, but Ferry models have only \"{DefaultSignature}\"; send that or leave it out");
        }

        var hasRows = body.TryGetProperty("instances"u8, out var instances);
        var hasColumns = body.TryGetProperty("inputs"u8, out var inputs);
        if (hasRows == hasColumns)
        {
            throw ProtocolErrors.Request(hasRows
                ? "the request has both \"instances\" and \"inputs\"; send one: instances for rows, inputs for columns"
                : $"the request has neither \"instances\" nor \"inputs\"; send {Described}");
        }

        return hasRows
            ? new PredictRequest(_rows.DecodeRecords(instances, "instances"), Columnar: false)
            : new PredictRequest(_rows.DecodeColumns(inputs, "inputs"), Columnar: true);
    }

    /// <summary>Decodes a predict request body given as UTF-8 JSON.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when it is not JSON, or as <see cref="Decode(JsonElement)"/>.</exception>
    public PredictRequest Decode(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonBody.Parse(utf8);
        return Decode(document.RootElement);
    }

    /// <summary>Writes the predict response: <c>predictions</c> for a row request, <c>outputs</c> for a columnar one, and <c>model_version</c>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="predictions">What the version returned.</param>
    /// <param name="servable">The version that answered.</param>
    /// <param name="columnar">Whether the request was columnar (<see cref="PredictRequest.Columnar"/>).</param>
    public static void WriteResponse(Utf8JsonWriter writer, Predictions predictions, ServableId servable, bool columnar)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(predictions);
        writer.WriteStartObject();
        if (predictions.Task == TaskKind.Regression)
        {
            writer.WritePropertyName(columnar ? "outputs"u8 : "predictions"u8);
            PredictionWriter.WriteValues(writer, predictions);
        }
        else if (columnar)
        {
            writer.WriteStartObject("outputs"u8);
            writer.WritePropertyName("label"u8);
            PredictionWriter.WriteLabels(writer, predictions);
            writer.WriteStartArray("probabilities"u8);
            for (var r = 0; r < predictions.Count; r++)
            {
                PredictionWriter.WriteProbabilityObject(writer, predictions, r);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("predictions"u8);
            for (var r = 0; r < predictions.Count; r++)
            {
                writer.WriteStartObject();
                writer.WriteString("label"u8, predictions.Labels![r]);
                writer.WritePropertyName("probabilities"u8);
                PredictionWriter.WriteProbabilityObject(writer, predictions, r);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteString("model_version"u8, JsonBody.Version(servable));
        writer.WriteEndObject();
    }

    /// <summary>The predict response as UTF-8 JSON.</summary>
    public static byte[] EncodeResponse(Predictions predictions, ServableId servable, bool columnar) =>
        JsonBody.ToBytes((predictions, servable, columnar), static (w, s) => WriteResponse(w, s.predictions, s.servable, s.columnar));
}
