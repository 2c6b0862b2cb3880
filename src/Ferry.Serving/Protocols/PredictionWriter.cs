using System.Text.Json;
using Ferry.Learn;

namespace Ferry.Serving.Protocols;

/// <summary>The pieces of <see cref="Predictions"/> the row-style protocols write the same way.</summary>
internal static class PredictionWriter
{
    /// <summary><c>["a", "b", ...]</c>: the label per row.</summary>
    public static void WriteLabels(Utf8JsonWriter writer, Predictions predictions)
    {
        writer.WriteStartArray();
        foreach (var label in predictions.Labels!)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
    }

    /// <summary><c>[1.5, ...]</c>: the value per row.</summary>
    public static void WriteValues(Utf8JsonWriter writer, Predictions predictions)
    {
        writer.WriteStartArray();
        foreach (var value in predictions.Values!)
        {
            JsonBody.WriteNumber(writer, value);
        }

        writer.WriteEndArray();
    }

    /// <summary><c>{"a": 0.9, "b": 0.1}</c>: one row's probabilities by class, in class order.</summary>
    public static void WriteProbabilityObject(Utf8JsonWriter writer, Predictions predictions, int row)
    {
        var probabilities = predictions.Probabilities![row];
        writer.WriteStartObject();
        for (var k = 0; k < probabilities.Length; k++)
        {
            writer.WritePropertyName(predictions.Classes[k]);
            JsonBody.WriteNumber(writer, probabilities[k]);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>[[0.9, 0.1], ...]</c>: the probabilities per row, in class order.</summary>
    public static void WriteProbabilityRows(Utf8JsonWriter writer, Predictions predictions)
    {
        writer.WriteStartArray();
        foreach (var row in predictions.Probabilities!)
        {
            writer.WriteStartArray();
            foreach (var p in row)
            {
                JsonBody.WriteNumber(writer, p);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary><c>["a", "b"]</c>: the classes in probability order.</summary>
    public static void WriteClasses(Utf8JsonWriter writer, Predictions predictions)
    {
        writer.WriteStartArray();
        foreach (var name in predictions.Classes)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
