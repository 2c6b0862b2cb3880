using System.Text.Json.Nodes;
using Ferry.Data.Tables;
using Ferry.Serving.Protocols;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>
/// Each protocol, decoding the held-out rows as a client sends them and encoding what the predictor says, answers
/// exactly what the predictor answers for the held-out table itself (multiclass with categories, binary, regression).
/// </summary>
public sealed class RoundTripTests
{
    private static readonly ServableId Servable = ProtocolModel.Servable;

    public static TheoryData<string> Samples => new() { "penguins", "breast_cancer", "diabetes" };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Predict_instances_answer_as_the_predictor_does(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        var codec = new PredictCodec(model.Signature);
        var body = new JsonObject
        {
            ["signature_name"] = "serving_default",
            ["instances"] = RequestBodies.Records(model.Package.TestRows, model.Signature),
        };

        var request = codec.Decode(RequestBodies.Utf8(body));
        var response = await AnswerAsync(model, request.Features, p => PredictCodec.EncodeResponse(p, Servable, request.Columnar));

        Assert.False(request.Columnar);
        Answers.FromPredict(response, columnar: false).AssertSame(await model.PredictHeldOutAsync());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Predict_columnar_inputs_answer_as_the_predictor_does_under_outputs(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        var codec = new PredictCodec(model.Signature);
        var body = new JsonObject { ["inputs"] = RequestBodies.Columns(model.Package.TestRows, model.Signature) };

        var request = codec.Decode(RequestBodies.Element(body));
        var response = await AnswerAsync(model, request.Features, p => PredictCodec.EncodeResponse(p, Servable, request.Columnar));

        Assert.True(request.Columnar);
        Answers.FromPredict(response, columnar: true).AssertSame(await model.PredictHeldOutAsync());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Open_inference_tensors_per_input_answer_as_the_predictor_does_and_echo_the_id(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        var codec = new OpenInferenceCodec(model.Signature);
        var body = new JsonObject
        {
            ["id"] = "req-" + sample,
            ["parameters"] = new JsonObject { ["anything"] = 1 },
            ["inputs"] = RequestBodies.Tensors(model.Package.TestRows, model.Signature, columnShape: sample == "penguins"),
        };

        var request = codec.Decode(RequestBodies.Utf8(body));
        var response = await AnswerAsync(model, request.Features, p => codec.EncodeResponse(p, Servable, request));

        Assert.Null(request.Outputs);
        Answers.FromOpenInference(response, Servable, "req-" + sample).AssertSame(await model.PredictHeldOutAsync());
    }

    [Theory]
    [InlineData("breast_cancer")]
    [InlineData("diabetes")]
    public async Task Open_inference_one_matrix_of_all_numeric_inputs_answers_as_the_predictor_does(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        var codec = new OpenInferenceCodec(model.Signature);
        var body = new JsonObject { ["inputs"] = RequestBodies.Matrix(model.Package.TestRows, model.Signature) };

        var request = codec.Decode(RequestBodies.Element(body));
        var response = await AnswerAsync(model, request.Features, p => codec.EncodeResponse(p, Servable, request));

        Answers.FromOpenInference(response, Servable, null).AssertSame(await model.PredictHeldOutAsync());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Mlflow_answers_every_input_format_as_the_predictor_does(string sample)
    {
        var model = await ProtocolModels.GetAsync(sample);
        var codec = new MlflowCodec(model.Signature);
        var rows = model.Package.TestRows;
        var expected = await model.PredictHeldOutAsync();
        JsonObject[] bodies =
        [
            new() { ["dataframe_split"] = RequestBodies.Split(rows, model.Signature) },
            new() { ["dataframe_records"] = RequestBodies.Records(rows, model.Signature) },
            new() { ["instances"] = RequestBodies.Records(rows, model.Signature), ["params"] = new JsonObject() },
            new() { ["inputs"] = RequestBodies.Records(rows, model.Signature) },
            new() { ["inputs"] = RequestBodies.Columns(rows, model.Signature) },
        ];

        foreach (var body in bodies)
        {
            var table = codec.Decode(RequestBodies.Utf8(body));
            var response = await AnswerAsync(model, table, p => MlflowCodec.EncodeResponse(p, Servable));
            Answers.FromMlflow(response).AssertSame(expected);
        }
    }

    [Fact]
    public async Task Open_inference_returns_only_the_outputs_asked_for_in_their_order()
    {
        var model = await ProtocolModels.GetAsync("penguins");
        var codec = new OpenInferenceCodec(model.Signature);
        var rows = RequestBodies.Head(model.Package.TestRows, 4);
        var body = new JsonObject
        {
            ["inputs"] = RequestBodies.Tensors(rows, model.Signature),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "probabilities" }),
        };

        var request = codec.Decode(RequestBodies.Element(body));
        var predictions = await model.Predictor.PredictAsync(request.Features, CancellationToken.None);
        var response = codec.EncodeResponse(predictions, Servable, request);

        var outputs = JsonNode.Parse(response)!["outputs"]!.AsArray();
        Assert.Equal(["probabilities"], outputs.Select(o => (string)o!["name"]!));
        Assert.Equal([4, model.Signature.Classes.Count], outputs[0]!["shape"]!.AsArray().Select(d => (int)d!));
    }

    [Fact]
    public async Task Decoded_rows_hold_the_cells_they_were_written_from_including_missing_ones()
    {
        var model = await ProtocolModels.GetAsync("penguins");
        var rows = model.Package.TestRows;
        Assert.True(rows.Columns.Any(c => c.MissingCount > 0), "the held-out penguins should hold missing values");
        var decoder = new RowsDecoder(model.Signature);

        var records = decoder.DecodeRecords(RequestBodies.Element(RequestBodies.Records(rows, model.Signature)), "instances");
        var columns = decoder.DecodeColumns(RequestBodies.Element(RequestBodies.Columns(rows, model.Signature)), "inputs");
        var split = decoder.DecodeSplit(RequestBodies.Element(RequestBodies.Split(rows, model.Signature)), "dataframe_split");

        Answers.AssertSameCells(rows, records, model.Signature);
        Answers.AssertSameCells(rows, columns, model.Signature);
        Answers.AssertSameCells(rows, split, model.Signature);
    }

    private static async Task<byte[]> AnswerAsync(ProtocolModel model, Table features, Func<Ferry.Learn.Predictions, byte[]> encode)
    {
        var predictions = await model.Predictor.PredictAsync(features, CancellationToken.None);
        Answers.AssertSame(await model.PredictHeldOutAsync(), predictions);
        return encode(predictions);
    }
}
