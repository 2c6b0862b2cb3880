using System.Text.Json.Nodes;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Serving.Protocols;
using static Ferry.Serving.Tests.Protocols.Refusals;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>Row checks against the penguins signature (categorical island and sex, numeric measures).</summary>
public sealed class RowsDecoderTests
{
    private static async Task<(RowsDecoder Decoder, JsonArray Rows, ProtocolModel Model)> PenguinsAsync(InputPolicy? policy = null)
    {
        var model = await ProtocolModels.GetAsync("penguins");
        var rows = RequestBodies.Records(RequestBodies.Head(model.Package.TestRows, 5), model.Signature);
        return (new RowsDecoder(model.Signature, policy), rows, model);
    }

    [Fact]
    public async Task An_absent_field_is_refused_naming_it_and_its_row_and_a_likely_misspelling()
    {
        var (decoder, rows, _) = await PenguinsAsync();
        rows[2]!.AsObject().Remove("island");
        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "island", 2,
            "field 'island' is missing in instances[2]", "send null");

        rows[2]!["islnd"] = "Dream";
        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "it has 'islnd'");
    }

    [Fact]
    public async Task An_extra_field_is_refused_naming_it_unless_the_policy_allows_extra_fields()
    {
        var (decoder, rows, model) = await PenguinsAsync();
        rows[1]!["colour"] = "grey";

        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "colour", 1,
            "instances[1] has field 'colour'", "'island'");

        var lenient = new RowsDecoder(model.Signature, new InputPolicy { AllowExtraFields = true });
        var table = lenient.DecodeRecords(RequestBodies.Element(rows), "instances");
        Answers.AssertSameCells(RequestBodies.Head(model.Package.TestRows, 5), table, model.Signature);
    }

    [Fact]
    public async Task A_repeated_field_is_refused_naming_it()
    {
        var (decoder, rows, _) = await PenguinsAsync();
        var json = rows.ToJsonString();
        var cut = json.IndexOf('}', StringComparison.Ordinal);
        var repeated = json[..cut] + ",\"year\":2009" + json[cut..];

        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(JsonNode.Parse(repeated)!), "instances"), "year", 0,
            "instances[0] has field 'year' twice");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_its_path_and_row()
    {
        var (decoder, rows, _) = await PenguinsAsync();
        rows[3]!["bill_length_mm"] = "abc";
        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "bill_length_mm", 3,
            "instances[3].bill_length_mm must be a number, got \"abc\"");

        rows[3]!["bill_length_mm"] = true;
        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "instances[3].bill_length_mm must be a number, got true");

        rows[3]!["bill_length_mm"] = 40.1;
        rows[0]!["island"] = new JsonObject { ["name"] = "Dream" };
        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "island", 0,
            "instances[0].island must be a string, got an object");
    }

    [Fact]
    public async Task An_unknown_category_is_refused_with_the_known_ones_or_mapped_to_missing_by_policy()
    {
        var (decoder, rows, model) = await PenguinsAsync();
        rows[1]!["island"] = "Atlantis";

        var error = AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "island", 1,
            "instances[1].island is \"Atlantis\"", "never saw", "'Biscoe'", "'Dream'", "'Torgersen'", "maps unknown categories to missing");
        Assert.DoesNotContain("Atlantis'", error.Message, StringComparison.Ordinal);

        var mapping = new RowsDecoder(model.Signature, new InputPolicy { UnknownCategory = UnknownCategoryHandling.MapToMissing });
        var table = mapping.DecodeRecords(RequestBodies.Element(rows), "instances");
        Assert.True(table["island"].IsMissing(1));
        Assert.Equal(model.Package.TestRows["island"].GetText(0), table["island"].GetText(0));
        var predictions = await model.Predictor.PredictAsync(table, CancellationToken.None);
        Assert.Equal(5, predictions.Count);
    }

    [Fact]
    public async Task Missing_values_are_taken_as_missing_or_refused_naming_field_and_row_when_the_policy_forbids_them()
    {
        var strict = new InputPolicy { AllowMissingValues = false };
        var (decoder, _, model) = await PenguinsAsync();
        var strictDecoder = new RowsDecoder(model.Signature, strict);
        var rows = RequestBodies.Records(RequestBodies.Complete(model.Package.TestRows, 5), model.Signature);
        strictDecoder.DecodeRecords(RequestBodies.Element(rows), "instances");

        rows[2]!["bill_depth_mm"] = null;
        AssertRefusedAt(() => strictDecoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "bill_depth_mm", 2,
            "instances[2].bill_depth_mm is null", "does not take missing values");
        Assert.True(decoder.DecodeRecords(RequestBodies.Element(rows), "instances")["bill_depth_mm"].IsMissing(2));

        rows[2]!["bill_depth_mm"] = "NaN";
        AssertRefusedAt(() => strictDecoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "bill_depth_mm", 2,
            "instances[2].bill_depth_mm is NaN");
        Assert.True(decoder.DecodeRecords(RequestBodies.Element(rows), "instances")["bill_depth_mm"].IsMissing(2));

        rows[2]!["bill_depth_mm"] = 17.0;
        rows[4]!["sex"] = " ";
        AssertRefusedAt(() => strictDecoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "sex", 4, "instances[4].sex is blank");
        Assert.True(decoder.DecodeRecords(RequestBodies.Element(rows), "instances")["sex"].IsMissing(4));
    }

    [Fact]
    public async Task More_rows_than_the_policy_allows_or_none_are_refused()
    {
        var (decoder, rows, _) = await PenguinsAsync(new InputPolicy { MaxRows = 3 });

        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(rows), "instances"), "instances holds 5 rows", "at most 3");
        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(new JsonArray()), "instances"), "instances holds no rows");
        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(new JsonObject()), "instances"), "instances must be a list of rows");
        AssertRefused(() => decoder.DecodeRecords(RequestBodies.Element(new JsonArray(1, 2)), "instances"), "instances[0] must be an object");
    }

    [Fact]
    public async Task Columns_of_different_lengths_are_refused_naming_both()
    {
        var (decoder, _, model) = await PenguinsAsync();
        var columns = RequestBodies.Columns(RequestBodies.Head(model.Package.TestRows, 5), model.Signature);
        columns["sex"]!.AsArray().RemoveAt(0);

        AssertRefused(() => decoder.DecodeColumns(RequestBodies.Element(columns), "inputs"), "inputs.sex holds 4 values but inputs.island holds 5");
    }

    [Fact]
    public async Task A_split_frame_names_the_missing_column_the_short_row_and_the_bad_cell()
    {
        var (decoder, _, model) = await PenguinsAsync();
        JsonObject Split() => RequestBodies.Split(RequestBodies.Head(model.Package.TestRows, 5), model.Signature);

        var noYear = Split();
        var yearAt = model.Signature.Inputs.Select(i => i.Name).ToList().IndexOf("year");
        noYear["columns"]!.AsArray().RemoveAt(yearAt);
        AssertRefused(() => decoder.DecodeSplit(RequestBodies.Element(noYear), "dataframe_split"), "column 'year' is missing in dataframe_split.columns");

        var shortRow = Split();
        shortRow["data"]![2]!.AsArray().RemoveAt(0);
        AssertRefused(() => decoder.DecodeSplit(RequestBodies.Element(shortRow), "dataframe_split"), "dataframe_split.data[2] must be a list of 7 values", "got 6 values");

        var badCell = Split();
        var billAt = model.Signature.Inputs.Select(i => i.Name).ToList().IndexOf("bill_length_mm");
        badCell["data"]![1]![billAt] = "long";
        AssertRefusedAt(() => decoder.DecodeSplit(RequestBodies.Element(badCell), "dataframe_split"), "bill_length_mm", 1,
            $"dataframe_split.data[1][{billAt}] (column 'bill_length_mm') must be a number, got \"long\"");
    }

    [Fact]
    public void Numbers_in_a_categorical_column_read_as_its_text_and_booleans_as_the_columns_truth_words()
    {
        // Categories as a CSV-trained featurizer records them: canonical text ("1", not "1.0"), yes/no booleans.
        var signature = new ModelSignature(
            [
                new InputColumn("grade", ColumnKind.Categorical, ["1", "2", "10"]),
                new InputColumn("smoker", ColumnKind.Boolean, ["no", "yes"]),
                new InputColumn("age", ColumnKind.Numeric, Min: 18, Max: 90),
            ],
            TaskKind.Binary,
            "outcome",
            ["bad", "good"]);
        var rows = JsonNode.Parse("""
            [{"grade": 1, "smoker": true, "age": 30},
             {"grade": "2.0", "smoker": false, "age": 41.5},
             {"grade": 10.0, "smoker": "TRUE", "age": null}]
            """)!;

        var table = new RowsDecoder(signature).DecodeRecords(RequestBodies.Element(rows), "instances");

        Assert.Equal(["1", "2", "10"], Enumerable.Range(0, 3).Select(table["grade"].GetText));
        Assert.Equal(["yes", "no", "yes"], Enumerable.Range(0, 3).Select(table["smoker"].GetText));
        Assert.IsType<NumericColumn>(table["age"]);
        Assert.Equal([30, 41.5, double.NaN], ((NumericColumn)table["age"]).Values.ToArray());
        AssertRefused(() => new RowsDecoder(signature).DecodeRecords(RequestBodies.Element(JsonNode.Parse("""[{"grade": 3, "smoker": true, "age": 30}]""")!), "instances"),
            "instances[0].grade is \"3\"");
    }

    [Fact]
    public void Text_inputs_take_any_scalar_as_text_while_dates_take_strings_and_image_models_are_refused()
    {
        var signature = new ModelSignature(
            [new InputColumn("note", ColumnKind.Text), new InputColumn("visit", ColumnKind.DateTime)],
            TaskKind.Regression,
            "cost",
            []);
        var decoder = new RowsDecoder(signature);

        var table = decoder.DecodeRecords(RequestBodies.Element(JsonNode.Parse("""[{"note": 12.50, "visit": "2024-03-01"}, {"note": false, "visit": null}]""")!), "instances");

        Assert.Equal(["12.5", "false"], Enumerable.Range(0, 2).Select(table["note"].GetText));
        Assert.Equal(["2024-03-01", null], Enumerable.Range(0, 2).Select(table["visit"].GetText));
        AssertRefusedAt(() => decoder.DecodeRecords(RequestBodies.Element(JsonNode.Parse("""[{"note": "ok", "visit": 20240301}]""")!), "instances"), "visit", 0,
            "instances[0].visit must be a date or timestamp string, got 20240301");
        var tensors = JsonNode.Parse("""{"inputs": [{"name": "note", "shape": [1], "datatype": "BYTES", "data": ["ok"]}, {"name": "visit", "shape": [1], "datatype": "FP64", "data": [1.0]}]}""")!;
        AssertRefused(() => new OpenInferenceCodec(signature).Decode(RequestBodies.Element(tensors)),
            "inputs[1] ('visit') has datatype FP64, but input 'visit' is datetime; send BYTES");

        var image = new ModelSignature([new InputColumn("image", ColumnKind.Image)], TaskKind.Binary, "label", ["cat", "dog"], new ImageShape(32, 32, 3));
        AssertRefused(() => new MlflowCodec(image).Decode(RequestBodies.Element(JsonNode.Parse("""{"instances": [{"image": "x"}]}""")!)),
            "this model reads images (input 'image')");
    }
}
