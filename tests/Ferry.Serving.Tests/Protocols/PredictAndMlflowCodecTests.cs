using System.Text.Json.Nodes;
using Ferry.Serving.Protocols;
using static Ferry.Serving.Tests.Protocols.Refusals;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>Which keys the TF Serving and MLflow bodies take, and that row errors name each protocol's own paths.</summary>
public sealed class PredictAndMlflowCodecTests
{
    private static async Task<(ProtocolModel Model, JsonArray Rows, JsonObject Columns)> PenguinsAsync()
    {
        var model = await ProtocolModels.GetAsync("penguins");
        var head = RequestBodies.Head(model.Package.TestRows, 3);
        return (model, RequestBodies.Records(head, model.Signature), RequestBodies.Columns(head, model.Signature));
    }

    [Fact]
    public async Task Predict_takes_instances_or_inputs_but_not_both_nor_neither_nor_another_signature()
    {
        var (model, rows, columns) = await PenguinsAsync();
        var codec = new PredictCodec(model.Signature);

        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["instances"] = rows, ["inputs"] = columns })),
            "both \"instances\" and \"inputs\"");
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["signature_name"] = "serving_default" })),
            "neither \"instances\" nor \"inputs\"");
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["signature_name"] = "classify", ["instances"] = rows.DeepClone() })),
            "signature_name is \"classify\"", "serving_default");
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["instance"] = rows.DeepClone() })),
            "the request has key 'instance'", "\"instances\" (rows) or \"inputs\" (columns)");
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["inputs"] = rows.DeepClone() })),
            "inputs must be an object {column: [value, ...]}");
    }

    [Fact]
    public async Task Predict_row_errors_name_the_instance_and_columnar_errors_the_input()
    {
        var (model, rows, columns) = await PenguinsAsync();
        var codec = new PredictCodec(model.Signature);
        rows[1]!["body_mass_g"] = "heavy";
        columns["body_mass_g"]![2] = "heavy";

        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(new JsonObject { ["instances"] = rows })), "body_mass_g", 1,
            "instances[1].body_mass_g must be a number, got \"heavy\"");
        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(new JsonObject { ["inputs"] = columns })), "body_mass_g", 2,
            "inputs.body_mass_g[2] must be a number, got \"heavy\"");
    }

    [Fact]
    public async Task Mlflow_takes_exactly_one_input_format_naming_the_allowed_keys()
    {
        var (model, rows, columns) = await PenguinsAsync();
        var codec = new MlflowCodec(model.Signature);
        const string allowed = "exactly one of \"dataframe_split\", \"dataframe_records\", \"instances\" or \"inputs\"";

        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["instances"] = rows, ["inputs"] = columns })),
            "both \"instances\" and \"inputs\"", allowed);
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["params"] = new JsonObject() })),
            "none of the input formats", allowed);
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["dataframe"] = rows.DeepClone() })),
            "the request has key 'dataframe'", allowed);
        AssertRefused(() => codec.Decode(RequestBodies.Element(new JsonObject { ["dataframe_split"] = new JsonObject { ["data"] = new JsonArray() } })),
            "dataframe_split.columns must be a list of column names");
        AssertRefused(() => codec.Decode(System.Text.Encoding.UTF8.GetBytes("{\"instances\": [{\"island\": }]}")), "not valid JSON");
    }

    [Fact]
    public async Task Mlflow_row_errors_name_the_format_they_came_in()
    {
        var (model, rows, _) = await PenguinsAsync();
        var codec = new MlflowCodec(model.Signature);
        rows[2]!.AsObject().Remove("sex");

        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(new JsonObject { ["dataframe_records"] = rows })), "sex", 2,
            "field 'sex' is missing in dataframe_records[2]");
        AssertRefusedAt(() => codec.Decode(RequestBodies.Element(new JsonObject { ["inputs"] = rows.DeepClone() })), "sex", 2,
            "field 'sex' is missing in inputs[2]");
    }
}
