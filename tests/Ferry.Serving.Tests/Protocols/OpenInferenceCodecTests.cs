using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Learn;
using Ferry.Serving.Protocols;
using static Ferry.Serving.Tests.Protocols.Refusals;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>Open Inference (KServe v2) request checks, metadata and non-finite outputs.</summary>
public sealed class OpenInferenceCodecTests
{
    private static async Task<(OpenInferenceCodec Codec, JsonObject Body, ProtocolModel Model)> PenguinsAsync(InputPolicy? policy = null)
    {
        var model = await ProtocolModels.GetAsync("penguins");
        var body = new JsonObject { ["inputs"] = RequestBodies.Tensors(RequestBodies.Complete(model.Package.TestRows, 5), model.Signature) };
        return (new OpenInferenceCodec(model.Signature, policy), body, model);
    }

    private static JsonObject Tensor(JsonObject body, string name) =>
        body["inputs"]!.AsArray().Select(t => t!.AsObject()).Single(t => (string)t["name"]! == name);

    private static int Position(ProtocolModel model, string name) => model.Signature.Inputs.Select(i => i.Name).ToList().IndexOf(name);

    [Fact]
    public async Task Data_that_does_not_fill_the_shape_is_refused_naming_the_tensor()
    {
        var (codec, body, model) = await PenguinsAsync();
        Tensor(body, "island")["data"]!.AsArray().RemoveAt(4);

        AssertRefused(() => codec.Decode(RequestBodies.Element(body)),
            $"inputs[{Position(model, "island")}] ('island') has shape [5], which needs 5 values, but its data holds 4");
    }

    [Fact]
    public async Task Tensors_with_different_row_counts_or_a_bad_shape_are_refused_naming_them()
    {
        var (codec, body, _) = await PenguinsAsync();
        var sex = Tensor(body, "sex");
        sex["data"]!.AsArray().RemoveAt(0);
        sex["shape"] = new JsonArray(4);
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "('sex') has 4 rows (shape [4])", "has 5");

        sex["shape"] = new JsonArray(2, 2);
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "('sex') has shape [2, 2]; a tensor per input has shape [N] or [N, 1]");

        sex["shape"] = new JsonArray(-4);
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "('sex').shape[0] must be a whole number of at least 0, got -4");
    }

    [Fact]
    public async Task A_datatype_that_does_not_fit_the_input_or_its_data_is_refused_naming_tensor_and_row()
    {
        var (codec, body, model) = await PenguinsAsync();
        var bill = Tensor(body, "bill_length_mm");
        var at = Position(model, "bill_length_mm");

        bill["datatype"] = "BYTES";
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)),
            $"inputs[{at}] ('bill_length_mm') has datatype BYTES, but input 'bill_length_mm' is numeric; send FP64");

        bill["datatype"] = "FLOAT";
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "('bill_length_mm').datatype must be one of", "FP32");

        bill["datatype"] = "FP64";
        bill["data"]![2] = "x";
        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(body)), "bill_length_mm", 2,
            $"inputs[{at}].data[2] (row 2, column 'bill_length_mm') must be a number (datatype FP64), got \"x\"");

        bill["datatype"] = "INT32";
        bill["data"] = new JsonArray(40, 41, 40.5, 42, 43);
        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(body)), "bill_length_mm", 2, "must be a whole number (datatype INT32), got 40.5");
    }

    [Fact]
    public async Task Unknown_and_absent_tensors_are_refused_naming_them()
    {
        var (codec, body, model) = await PenguinsAsync();
        var inputs = body["inputs"]!.AsArray();
        inputs.Add(new JsonObject { ["name"] = "colour", ["shape"] = new JsonArray(5), ["datatype"] = "BYTES", ["data"] = new JsonArray("a", "b", "c", "d", "e") });
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), $"inputs[{inputs.Count - 1}] is named 'colour', which is not an input of the model");

        var lenient = new OpenInferenceCodec(model.Signature, new InputPolicy { AllowExtraFields = true });
        Assert.Equal(5, lenient.Decode(RequestBodies.Element(body)).Features.RowCount);

        inputs.RemoveAt(Position(model, "year"));
        AssertRefused(() => lenient.Decode(RequestBodies.Element(body)), "the request has no input tensor 'year'", "it has tensor 'colour'");
    }

    [Fact]
    public async Task A_matrix_is_refused_for_a_model_with_categorical_inputs_or_of_the_wrong_width()
    {
        var (codec, _, penguins) = await PenguinsAsync();
        var numeric = penguins.Signature with { Inputs = [.. penguins.Signature.Inputs.Where(i => i.Name != "island" && i.Name != "sex")] };
        var matrix = new JsonObject { ["inputs"] = RequestBodies.Matrix(RequestBodies.Head(penguins.Package.TestRows, 2), numeric) };
        AssertRefused(() => codec.Decode(RequestBodies.Element(matrix)), "only fits models whose inputs are all numeric", "input 'island' is categorical");

        var diabetes = await ProtocolModels.GetAsync("diabetes");
        var narrow = diabetes.Signature with { Inputs = [.. diabetes.Signature.Inputs.Skip(1)] };
        var body = new JsonObject { ["inputs"] = RequestBodies.Matrix(RequestBodies.Head(diabetes.Package.TestRows, 2), narrow) };
        AssertRefused(() => new OpenInferenceCodec(diabetes.Signature).Decode(RequestBodies.Element(body)),
            $"inputs[0] ('input-0') has shape [2, {narrow.Inputs.Count}], but the model reads {diabetes.Signature.Inputs.Count} inputs");
    }

    [Fact]
    public async Task Unknown_categories_missing_values_and_row_limits_follow_the_policy_in_tensors()
    {
        var (codec, body, model) = await PenguinsAsync();
        Tensor(body, "island")["data"]![1] = "Atlantis";
        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(body)), "island", 1,
            $"inputs[{Position(model, "island")}].data[1] (row 1, column 'island') is \"Atlantis\"", "'Dream'");

        Tensor(body, "island")["data"]![1] = "Dream";
        Tensor(body, "flipper_length_mm")["data"]![3] = null;
        var strict = new OpenInferenceCodec(model.Signature, new InputPolicy { AllowMissingValues = false });
        AssertRefusedAt(() => strict.Decode(RequestBodies.Element(body)), "flipper_length_mm", 3, "(row 3, column 'flipper_length_mm') is null");

        var small = new OpenInferenceCodec(model.Signature, new InputPolicy { MaxRows = 4 });
        AssertRefused(() => small.Decode(RequestBodies.Element(body)), "('island') holds 5 rows", "at most 4");
    }

    [Fact]
    public async Task Request_keys_ids_and_output_names_are_checked()
    {
        var (codec, body, _) = await PenguinsAsync();
        body["outputs"] = new JsonArray(new JsonObject { ["name"] = "probs" });
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "outputs[0] asks for 'probs'", "'label', 'probabilities'");

        body.Remove("outputs");
        body["id"] = 7;
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "id must be a string, got 7");

        body.Remove("id");
        body["input"] = new JsonArray();
        AssertRefused(() => codec.Decode(RequestBodies.Element(body)), "the request has key 'input'", "\"inputs\"");

        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["id"] = "a" })), "the request has no \"inputs\"");
        AssertRefused(() => codec.Decode(System.Text.Encoding.UTF8.GetBytes("{\"inputs\": [")), "not valid JSON");
    }

    [Fact]
    public async Task Metadata_lists_inputs_in_signature_order_with_datatypes_and_the_outputs()
    {
        var (codec, _, model) = await PenguinsAsync();

        var metadata = JsonNode.Parse(codec.EncodeMetadata("penguins", [1, 2], model.Flavor))!;

        Assert.Equal("penguins", (string)metadata["name"]!);
        Assert.Equal(["1", "2"], metadata["versions"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("ferry_" + model.Flavor, (string)metadata["platform"]!);
        var inputs = metadata["inputs"]!.AsArray();
        Assert.Equal(model.Signature.Inputs.Select(i => i.Name), inputs.Select(i => (string)i!["name"]!));
        Assert.Equal("BYTES", (string)inputs[Position(model, "island")]!["datatype"]!);
        Assert.Equal("FP64", (string)inputs[Position(model, "bill_length_mm")]!["datatype"]!);
        Assert.All(inputs, i => Assert.Equal([-1], i!["shape"]!.AsArray().Select(d => (int)d!)));
        var outputs = metadata["outputs"]!.AsArray();
        Assert.Equal(["label", "probabilities"], outputs.Select(o => (string)o!["name"]!));
        Assert.Equal([-1, model.Signature.Classes.Count], outputs[1]!["shape"]!.AsArray().Select(d => (int)d!));
    }

    [Fact]
    public async Task Non_finite_values_are_written_as_strings_json_can_hold()
    {
        var diabetes = await ProtocolModels.GetAsync("diabetes");
        var codec = new OpenInferenceCodec(diabetes.Signature);
        var predictions = Predictions.ForValues([1.5, double.NaN, double.NegativeInfinity]);

        var body = codec.EncodeResponse(predictions, ProtocolModel.Servable, new OpenInferenceRequest(diabetes.Package.TestRows, null, null));
        var data = JsonDocument.Parse(body).RootElement.GetProperty("outputs")[0].GetProperty("data");
        var predict = JsonDocument.Parse(PredictCodec.EncodeResponse(predictions, ProtocolModel.Servable, columnar: false)).RootElement.GetProperty("predictions");

        Assert.Equal(1.5, data[0].GetDouble());
        Assert.Equal("NaN", data[1].GetString());
        Assert.Equal("-Infinity", data[2].GetString());
        Assert.Equal("NaN", predict[1].GetString());
    }
}
