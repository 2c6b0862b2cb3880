using System.Text.Json;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>What a response said, read back in the protocol-neutral form of <see cref="Predictions"/>.</summary>
/// <param name="Labels">The label per row (classification).</param>
/// <param name="Probabilities">The probabilities per row, in <paramref name="Classes"/> order (classification).</param>
/// <param name="Classes">The class order the response states.</param>
/// <param name="Values">The value per row (regression).</param>
internal sealed record Answers(IReadOnlyList<string>? Labels, IReadOnlyList<float[]>? Probabilities, IReadOnlyList<string>? Classes, IReadOnlyList<double>? Values)
{
    /// <summary>Asserts the response says exactly what <paramref name="expected"/> says.</summary>
    public void AssertSame(Predictions expected)
    {
        if (expected.Values is { } values)
        {
            Assert.Equal(values, Values!);
            Assert.Null(Labels);
            return;
        }

        Assert.Equal(expected.Labels!, Labels!);
        Assert.Equal(expected.Classes, Classes!);
        Assert.Equal(expected.Probabilities!.Count, Probabilities!.Count);
        for (var r = 0; r < expected.Probabilities.Count; r++)
        {
            Assert.Equal(expected.Probabilities[r], Probabilities[r]);
        }
    }

    /// <summary>Asserts two predictions of the same rows are equal.</summary>
    public static void AssertSame(Predictions expected, Predictions actual) =>
        new Answers(actual.Labels, actual.Probabilities, actual.Classes, actual.Values).AssertSame(expected);

    /// <summary>Asserts a decoded table holds the same cells as the rows it was written from.</summary>
    public static void AssertSameCells(Table expected, Table actual, ModelSignature signature)
    {
        Assert.Equal(signature.Inputs.Select(i => i.Name), actual.Columns.Select(c => c.Name));
        Assert.Equal(expected.RowCount, actual.RowCount);
        foreach (var input in signature.Inputs)
        {
            for (var r = 0; r < expected.RowCount; r++)
            {
                Assert.Equal(expected[input.Name].GetText(r), actual[input.Name].GetText(r));
            }
        }
    }

    public static Answers FromOpenInference(byte[] body, ServableId servable, string? id)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(servable.Model, root.GetProperty("model_name").GetString());
        Assert.Equal(servable.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("model_version").GetString());
        Assert.Equal(id, root.TryGetProperty("id", out var idValue) ? idValue.GetString() : null);
        List<string>? labels = null, classes = null;
        List<float[]>? probabilities = null;
        List<double>? values = null;
        foreach (var output in root.GetProperty("outputs").EnumerateArray())
        {
            var shape = output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var data = output.GetProperty("data").EnumerateArray().ToList();
            Assert.Equal(shape.Aggregate(1, (a, b) => a * b), data.Count);
            switch (output.GetProperty("name").GetString())
            {
                case "label":
                    Assert.Equal("BYTES", output.GetProperty("datatype").GetString());
                    labels = [.. data.Select(d => d.GetString()!)];
                    break;
                case "probabilities":
                    Assert.Equal("FP32", output.GetProperty("datatype").GetString());
                    classes = [.. output.GetProperty("parameters").GetProperty("classes").GetString()!.Split(',')];
                    Assert.Equal(classes.Count, shape[1]);
                    probabilities = [.. data.Chunk(shape[1]).Select(row => row.Select(p => p.GetSingle()).ToArray())];
                    break;
                case "value":
                    Assert.Equal("FP64", output.GetProperty("datatype").GetString());
                    values = [.. data.Select(d => d.GetDouble())];
                    break;
                default:
                    Assert.Fail("unexpected output " + output.GetRawText());
                    break;
            }
        }

        return new Answers(labels, probabilities, classes, values);
    }

    public static Answers FromPredict(byte[] body, bool columnar)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("3", root.GetProperty("model_version").GetString());
        var answer = root.GetProperty(columnar ? "outputs" : "predictions");
        if (answer.ValueKind == JsonValueKind.Array && (answer.GetArrayLength() == 0 || answer[0].ValueKind == JsonValueKind.Number))
        {
            return new Answers(null, null, null, [.. answer.EnumerateArray().Select(v => v.GetDouble())]);
        }

        var rows = columnar
            ? answer.GetProperty("probabilities").EnumerateArray().ToList()
            : [.. answer.EnumerateArray().Select(p => p.GetProperty("probabilities"))];
        var labels = columnar
            ? answer.GetProperty("label").EnumerateArray().Select(l => l.GetString()!).ToList()
            : [.. answer.EnumerateArray().Select(p => p.GetProperty("label").GetString()!)];
        var classes = rows[0].EnumerateObject().Select(p => p.Name).ToList();
        return new Answers(labels, [.. rows.Select(r => r.EnumerateObject().Select(p => p.Value.GetSingle()).ToArray())], classes, null);
    }

    public static Answers FromMlflow(byte[] body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("3", root.GetProperty("model_version").GetString());
        var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
        if (!root.TryGetProperty("probabilities", out var probabilities))
        {
            return new Answers(null, null, null, [.. predictions.Select(v => v.GetDouble())]);
        }

        return new Answers(
            [.. predictions.Select(l => l.GetString()!)],
            [.. probabilities.EnumerateArray().Select(r => r.EnumerateArray().Select(p => p.GetSingle()).ToArray())],
            [.. root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!)],
            null);
    }
}
