using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Protocols;

/// <summary>
/// MLflow's scoring-server bodies: <c>POST /invocations</c> with a JSON object holding exactly one of
/// <c>dataframe_split</c> (<c>{"columns", "data", "index"?}</c>), <c>dataframe_records</c> (<c>[{column: value}]</c>),
/// <c>instances</c> (<c>[{column: value}]</c>) or <c>inputs</c> (<c>[{column: value}]</c> or <c>{column: [value, ...]}</c>),
/// and optionally <c>params</c>, which Ferry models take none of and ignore. Values are checked as
/// <see cref="RowsDecoder"/> does.
/// <para>Responses are <c>{"predictions": [...], "model_version": "3"}</c>. For classification <c>predictions</c> holds
/// the label per row, as MLflow's sklearn flavor returns, and beside it <c>probabilities</c> (one list per row, in
/// class order) and <c>classes</c> (that order), which MLflow clients ignore and others can use; for regression it
/// holds the value per row. NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity".</para>
/// Immutable and thread-safe: create one per served version.
/// </summary>
public sealed class MlflowCodec
{
    private static readonly string[] Formats = ["dataframe_split", "dataframe_records", "instances", "inputs"];
    private static readonly string[] Keys = [.. Formats, "params"];
    private const string Described = "exactly one of \"dataframe_split\", \"dataframe_records\", \"instances\" or \"inputs\" (and optionally \"params\")";

    private readonly RowsDecoder _rows;

    /// <summary>Prepares the codec for <paramref name="signature"/> under <paramref name="policy"/> (the defaults when null).</summary>
    public MlflowCodec(ModelSignature signature, InputPolicy? policy = null) => _rows = new RowsDecoder(signature, policy);

    /// <summary>Decodes an <c>/invocations</c> JSON body into the rows to predict.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when it holds none or several of the formats, or naming the field and row at fault.</exception>
    public Table Decode(JsonElement body)
    {
        JsonBody.CheckKeys(body, Keys, Described);
        string? format = null;
        JsonElement payload = default;
        foreach (var key in Formats)
        {
            if (body.TryGetProperty(key, out var value))
            {
                if (format is not null)
                {
                    throw ProtocolErrors.Request($"the request has both \"{format}\" and \"{key}\"; it takes {Described}");
                }

                format = key;
                payload = value;
            }
        }

        return format switch
        {
            null => throw ProtocolErrors.Request($"the request has none of the input formats; it takes {Described}"),
            "dataframe_split" => _rows.DecodeSplit(payload, format),
            "inputs" when payload.ValueKind == JsonValueKind.Object => _rows.DecodeColumns(payload, format),
            _ => _rows.DecodeRecords(payload, format),
        };
    }

    /// <summary>Decodes an <c>/invocations</c> body given as UTF-8 JSON.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when it is not JSON, or as <see cref="Decode(JsonElement)"/>.</exception>
    public Table Decode(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonBody.Parse(utf8);
        return Decode(document.RootElement);
    }

    /// <summary>Writes the response: <c>predictions</c>, for classification <c>probabilities</c> and <c>classes</c>, and <c>model_version</c>.</summary>
    public static void WriteResponse(Utf8JsonWriter writer, Predictions predictions, ServableId servable)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(predictions);
        writer.WriteStartObject();
        writer.WritePropertyName("predictions"u8);
        if (predictions.Task == TaskKind.Regression)
        {
            PredictionWriter.WriteValues(writer, predictions);
        }
        else
        {
            PredictionWriter.WriteLabels(writer, predictions);
            writer.WritePropertyName("probabilities"u8);
            PredictionWriter.WriteProbabilityRows(writer, predictions);
            writer.WritePropertyName("classes"u8);
            PredictionWriter.WriteClasses(writer, predictions);
        }

        writer.WriteString("model_version"u8, JsonBody.Version(servable));
        writer.WriteEndObject();
    }

    /// <summary>The response as UTF-8 JSON.</summary>
    public static byte[] EncodeResponse(Predictions predictions, ServableId servable) =>
        JsonBody.ToBytes((predictions, servable), static (w, s) => WriteResponse(w, s.predictions, s.servable));
}
