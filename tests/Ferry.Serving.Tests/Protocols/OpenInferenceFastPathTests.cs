using System.Text;
using System.Text.Json.Nodes;
using Ferry.Data.Tables;
using Ferry.Serving.Protocols;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>
/// The Open Inference fast path takes only what the full decoder takes, and gives exactly its table; everything else
/// it declines, so the bytes a client sends are answered exactly as the full decoder answers them.
/// </summary>
public sealed class OpenInferenceFastPathTests
{
    private static async Task<(ProtocolModel Model, Table Rows)> ModelAsync(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        return (model, RequestBodies.Complete(model.Package.TestRows, 7));
    }

    private static JsonArray FlatMatrix(Table rows, ProtocolModel model, string datatype = "FP64")
    {
        var nested = RequestBodies.Matrix(rows, model.Signature);
        var tensor = nested[0]!.AsObject();
        tensor["data"] = new JsonArray([.. tensor["data"]!.AsArray().SelectMany(row => row!.AsArray()).Select(v => v!.DeepClone())]);
        tensor["datatype"] = datatype;
        return nested;
    }

    private static JsonArray WithDatatype(JsonArray tensors, string datatype)
    {
        foreach (var tensor in tensors)
        {
            tensor!["datatype"] = datatype;
        }

        return tensors;
    }

    /// <summary>What decoding gives: the cells and id, or the error's code and message.</summary>
    private static string Outcome(Func<OpenInferenceRequest> decode, ProtocolModel model)
    {
        try
        {
            var request = decode();
            var cells = model.Signature.Inputs.SelectMany(i => Enumerable.Range(0, request.Features.RowCount).Select(r => request.Features[i.Name].GetText(r)));
            return $"id={request.Id} outputs={string.Join(",", request.Outputs ?? [])} rows={request.Features.RowCount} " + string.Join("|", cells);
        }
        catch (FerryException e)
        {
            return $"{e.Code}: {e.Message}";
        }
    }

    [Theory]
    [InlineData("breast_cancer")]
    [InlineData("diabetes")]
    public async Task Plain_numeric_requests_take_the_fast_path_and_give_exactly_the_full_decoders_table(string sample)
    {
        var (model, rows) = await ModelAsync(sample);
        var codec = new OpenInferenceCodec(model.Signature);
        var decoder = new RowsDecoder(model.Signature);
        var reversed = RequestBodies.Tensors(rows, model.Signature);
        reversed = new JsonArray([.. reversed.Reverse().Select(t => t!.DeepClone())]);
        JsonObject[] bodies =
        [
            new() { ["inputs"] = RequestBodies.Tensors(rows, model.Signature) },
            new() { ["id"] = "req-\u00e9\"1", ["inputs"] = RequestBodies.Tensors(rows, model.Signature, columnShape: true) },
            new() { ["inputs"] = WithDatatype(reversed, "FP32"), ["parameters"] = new JsonObject { ["deep"] = new JsonArray(1, new JsonObject { ["x"] = null }) } },
            new() { ["inputs"] = FlatMatrix(rows, model), ["id"] = "" },
            new() { ["parameters"] = null, ["inputs"] = FlatMatrix(rows, model, "FP32") },
        ];

        foreach (var body in bodies)
        {
            Assert.True(OpenInferenceFastPath.TryDecode(RequestBodies.Utf8(body).Span, decoder, out var fast), body.ToJsonString());
            Assert.Equal(Outcome(() => codec.Decode(RequestBodies.Element(body)), model), Outcome(() => fast!, model));
        }
    }

    [Fact]
    public async Task Numbers_in_any_json_spelling_decode_as_the_full_decoder_reads_them()
    {
        var (model, _) = await ModelAsync("diabetes");
        var codec = new OpenInferenceCodec(model.Signature);
        var spellings = new[] { "1E+2", "-0.0", "12", "0.5e-3", "-7.25", "3", "1e-300", "123456789012345678901234567890", "0", "2.5E2" };
        var json = $"{{ \"inputs\" : [ {{ \"data\": [ {string.Join(" , ", spellings)} ], \"datatype\" : \"FP64\", \"shape\": [1, {spellings.Length}], \"name\": \"x\" }} ] }}";

        Assert.True(OpenInferenceFastPath.TryDecode(Encoding.UTF8.GetBytes(json), new RowsDecoder(model.Signature), out var fast));
        Assert.Equal(Outcome(() => codec.Decode(RequestBodies.Element(JsonNode.Parse(json)!)), model), Outcome(() => fast!, model));
    }

    public static TheoryData<string> Declined() =>
    [
        "null in data", "NaN in data", "nested data", "INT64 datatype", "outputs", "unknown key", "extra tensor", "missing tensor",
        "short data", "no rows", "too many rows", "id not a string", "shape of three", "tensor without datatype",
    ];

    [Theory]
    [MemberData(nameof(Declined))]
    public async Task Anything_else_is_declined_and_answered_exactly_as_the_full_decoder_answers_it(string change)
    {
        var (model, rows) = await ModelAsync("breast_cancer");
        var body = new JsonObject { ["inputs"] = RequestBodies.Tensors(rows, model.Signature) };
        var tensors = body["inputs"]!.AsArray();
        var first = tensors[0]!.AsObject();
        var policy = new InputPolicy { MaxRows = change == "too many rows" ? 3 : 100 };
        switch (change)
        {
            case "null in data": first["data"]![2] = null; break;
            case "NaN in data": first["data"]![2] = "NaN"; break;
            case "nested data": body["inputs"] = RequestBodies.Matrix(rows, model.Signature); break;
            case "INT64 datatype": first["datatype"] = "INT64"; first["data"] = new JsonArray([.. Enumerable.Range(0, rows.RowCount).Select(i => JsonValue.Create(i))]); break;
            case "outputs": body["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }); break;
            case "unknown key": body["input"] = 1; break;
            case "extra tensor":
                var extra = first.DeepClone();
                extra["name"] = "extra";
                tensors.Add(extra);
                break;
            case "missing tensor": tensors.RemoveAt(3); break;
            case "short data": first["data"]!.AsArray().RemoveAt(0); break;
            case "no rows": body["inputs"] = FlatMatrix(RequestBodies.Head(rows, 0), model); break;
            case "too many rows": break;
            case "id not a string": body["id"] = 7; break;
            case "shape of three": first["shape"] = new JsonArray(rows.RowCount, 1, 1); break;
            case "tensor without datatype": first.Remove("datatype"); break;
        }

        var decoder = new RowsDecoder(model.Signature, policy);
        var codec = new OpenInferenceCodec(model.Signature, policy);

        Assert.False(OpenInferenceFastPath.TryDecode(RequestBodies.Utf8(body).Span, decoder, out _));
        Assert.Equal(Outcome(() => codec.Decode(RequestBodies.Element(body)), model), Outcome(() => codec.Decode(RequestBodies.Utf8(body)), model));
    }

    [Theory]
    [InlineData("""{"inputs": [], "inputs": []}""")]
    [InlineData("""{"inputs": [{"name": "a", "name": "b", "shape": [1], "datatype": "FP64", "data": [1]}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 30], "datatype": "FP64", "data": [1e400]}]}""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP64", "data": [1]}]} trailing""")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1, 1], "datatype": "FP64", "data": [1,]}]}""")]
    [InlineData("""[{"inputs": []}]""")]
    public async Task Repeated_keys_out_of_range_numbers_and_broken_json_are_declined(string json)
    {
        var (model, _) = await ModelAsync("breast_cancer");
        var codec = new OpenInferenceCodec(model.Signature);

        Assert.False(OpenInferenceFastPath.TryDecode(Encoding.UTF8.GetBytes(json), new RowsDecoder(model.Signature), out _));
        Assert.Equal("INPUT_INVALID", Assert.Throws<FerryException>(() => codec.Decode(Encoding.UTF8.GetBytes(json))).Code);
    }

    [Fact]
    public async Task A_model_with_text_inputs_always_takes_the_full_decoder()
    {
        var (model, rows) = await ModelAsync("penguins");
        var body = new JsonObject { ["inputs"] = RequestBodies.Tensors(rows, model.Signature) };

        Assert.False(OpenInferenceFastPath.TryDecode(RequestBodies.Utf8(body).Span, new RowsDecoder(model.Signature), out _));
    }
}
