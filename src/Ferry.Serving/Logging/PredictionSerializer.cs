using System.Buffers;
using System.Text;
using System.Text.Json;
using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Tracking.Predictions;

namespace Ferry.Serving.Logging;

/// <summary>
/// Turns a <see cref="PredictionRecord"/> into the log's JSON: inputs as an array of row objects (column to value,
/// numbers as numbers, missing as null), outputs as an array of answers (<c>{"label", "probabilities": {class: p}}</c>
/// or <c>{"value"}</c>). One instance reuses its buffer, so it belongs to one thread (the log's writer loop).
/// </summary>
internal sealed class PredictionSerializer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public PredictionSerializer() => _json = new Utf8JsonWriter(_buffer);

    /// <summary>The record as the log stores it; throws <see cref="ArgumentException"/> for a record the store would refuse.</summary>
    public LoggedPrediction ToLogged(PredictionRecord record)
    {
        if (string.IsNullOrEmpty(record.RequestId) || string.IsNullOrEmpty(record.Servable.Model))
        {
            throw new ArgumentException($"a prediction record needs a request id and a model (got '{record.RequestId}' for '{record.Servable}')", nameof(record));
        }

        if (!double.IsFinite(record.LatencyMs) || record.LatencyMs < 0)
        {
            throw new ArgumentException($"request '{record.RequestId}' has latency {record.LatencyMs} ms; it must be finite and at least 0", nameof(record));
        }

        try
        {
            return new LoggedPrediction(record.RequestId, record.Servable.Model, record.Servable.Version, record.At.ToUnixTimeMilliseconds(), record.LatencyMs,
                Inputs(record.Inputs), Outputs(record.Outputs), record.Shadow);
        }
        catch
        {
            // Start the next record on an empty buffer, not after this one's half-written JSON.
            _buffer.ResetWrittenCount();
            _json.Reset();
            throw;
        }
    }

    public string Inputs(Table table)
    {
        _json.WriteStartArray();
        for (var row = 0; row < table.RowCount; row++)
        {
            _json.WriteStartObject();
            foreach (var column in table.Columns)
            {
                _json.WritePropertyName(column.Name);
                switch (column)
                {
                    case NumericColumn numbers:
                        Number(numbers[row]);
                        break;
                    case StringColumn strings:
                        Text(strings[row]);
                        break;
                    default:
                        Text(column.GetText(row));
                        break;
                }
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        return Take();
    }

    public string Outputs(Predictions predictions)
    {
        _json.WriteStartArray();
        for (var row = 0; row < predictions.Count; row++)
        {
            _json.WriteStartObject();
            if (predictions.Labels is { } labels)
            {
                _json.WriteString("label", labels[row]);
                if (predictions.Probabilities is { } probabilities)
                {
                    _json.WriteStartObject("probabilities");
                    for (var c = 0; c < predictions.Classes.Count; c++)
                    {
                        _json.WritePropertyName(predictions.Classes[c]);
                        Number(probabilities[row][c]);
                    }

                    _json.WriteEndObject();
                }
            }
            else if (predictions.Values is { } values)
            {
                _json.WritePropertyName("value");
                Number(values[row]);
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        return Take();
    }

    public void Dispose() => _json.Dispose();

    // JSON has no NaN or infinities: a missing number is null, an infinite one is spelled out as .NET's JSON does.
    private void Number(double value)
    {
        if (double.IsNaN(value))
        {
            _json.WriteNullValue();
        }
        else if (double.IsInfinity(value))
        {
            _json.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            _json.WriteNumberValue(value);
        }
    }

    // A float written as a float keeps its shortest form (0.75, not 0.75000000298…).
    private void Number(float value)
    {
        if (float.IsFinite(value))
        {
            _json.WriteNumberValue(value);
        }
        else
        {
            Number((double)value);
        }
    }

    private void Text(string? value)
    {
        if (value is null)
        {
            _json.WriteNullValue();
        }
        else
        {
            _json.WriteStringValue(value);
        }
    }

    private string Take()
    {
        _json.Flush();
        var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _json.Reset();
        return text;
    }
}
