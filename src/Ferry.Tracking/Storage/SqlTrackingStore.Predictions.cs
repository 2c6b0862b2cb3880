using System.Data;
using System.Globalization;
using Ferry.Tracking.Predictions;

namespace Ferry.Tracking.Storage;

/// <summary>The prediction log, in the <c>prediction_log</c> table.</summary>
public abstract partial class SqlTrackingStore : IPredictionLog
{
    private const string PredictionColumns = "request_id, model, version, at, latency_ms, inputs_json, outputs_json, shadow, label, label_at";

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<LoggedPrediction> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            CheckPrediction(records[i], i);
        }

        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async (connection, transaction) =>
        {
            // One prepared statement run per record: both databases reuse the plan, and no SQL grows with the batch.
            await using var command = Db.Command(connection, transaction,
                $"INSERT INTO prediction_log ({PredictionColumns}) VALUES (@r, @m, @v, @at, @l, @i, @o, @s, @label, @label_at)",
                ("@r", ""), ("@m", ""), ("@v", 0), ("@at", 0L), ("@l", 0.0), ("@i", ""), ("@o", ""), ("@s", false), ("@label", ""), ("@label_at", 0L));
            var p = command.Parameters;
            // Typed up front so a NULL label keeps its type in the prepared statement.
            p[8].DbType = DbType.String;
            p[9].DbType = DbType.Int64;
            await command.PrepareAsync(cancellationToken);
            foreach (var record in records)
            {
                p[0].Value = record.RequestId;
                p[1].Value = record.Model;
                p[2].Value = record.Version;
                p[3].Value = record.At;
                p[4].Value = record.LatencyMs;
                p[5].Value = record.InputsJson;
                p[6].Value = record.OutputsJson;
                p[7].Value = record.Shadow;
                p[8].Value = (object?)record.Label ?? DBNull.Value;
                p[9].Value = (object?)record.LabelAt ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> AttachLabelAsync(string requestId, string label, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            throw TrackingErrors.Invalid("Missing value for required parameter 'request_id': give the request id the prediction answered with");
        }

        if (label is null)
        {
            throw TrackingErrors.Invalid($"Missing value for required parameter 'label' of request '{requestId}'");
        }

        return WriteAsync((connection, transaction) =>
            Db.ExecuteAsync(connection, transaction, "UPDATE prediction_log SET label = @label, label_at = @t WHERE request_id = @r", cancellationToken,
                ("@label", label), ("@t", Now()), ("@r", requestId)), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedPrediction>> ReadAsync(PredictionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrEmpty(query.Model))
        {
            throw TrackingErrors.Invalid("Missing value for required parameter 'model': name the served model whose predictions to read");
        }

        if (query.Limit is < 1 or > PredictionQuery.MaxLimit)
        {
            throw TrackingErrors.Invalid($"limit is {query.Limit}; it must be between 1 and {PredictionQuery.MaxLimit}");
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = Db.Command(connection, null, "", ("@m", query.Model), ("@limit", query.Limit));
        var sql = $"SELECT {PredictionColumns} FROM prediction_log WHERE model = @m";
        if (query.Version is { } version)
        {
            sql += " AND version = @v";
            Db.Add(command, "@v", version);
        }

        if (query.From is { } from)
        {
            sql += " AND at >= @from";
            Db.Add(command, "@from", from);
        }

        if (query.To is { } to)
        {
            sql += " AND at < @to";
            Db.Add(command, "@to", to);
        }

        if (!query.IncludeShadow)
        {
            sql += " AND shadow = @shadow";
            Db.Add(command, "@shadow", false);
        }

        // The id breaks ties between records of the same millisecond in the order they were appended.
        command.CommandText = sql + " ORDER BY at, id LIMIT @limit";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<LoggedPrediction>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new LoggedPrediction(
                reader.GetString(0), reader.GetString(1), (int)Db.Long(reader, 2), Db.Long(reader, 3), reader.GetDouble(4),
                reader.GetString(5), reader.GetString(6), Db.Bool(reader, 7), Db.NullableString(reader, 8), Db.NullableLong(reader, 9)));
        }

        return records;
    }

    private static void CheckPrediction(LoggedPrediction? record, int index)
    {
        var at = $"record {index.ToString(CultureInfo.InvariantCulture)}";
        if (record is null)
        {
            throw TrackingErrors.Invalid($"{at} of the prediction batch is null");
        }

        if (string.IsNullOrEmpty(record.RequestId))
        {
            throw TrackingErrors.Invalid($"Missing value for required parameter 'request_id' in {at} of the prediction batch");
        }

        if (string.IsNullOrEmpty(record.Model))
        {
            throw TrackingErrors.Invalid($"Missing value for required parameter 'model' in {at} (request '{record.RequestId}') of the prediction batch");
        }

        if (record.InputsJson is null || record.OutputsJson is null)
        {
            throw TrackingErrors.Invalid($"{at} (request '{record.RequestId}') of the prediction batch has no {(record.InputsJson is null ? "inputs" : "outputs")} JSON");
        }

        if (!double.IsFinite(record.LatencyMs) || record.LatencyMs < 0)
        {
            throw TrackingErrors.Invalid($"latency_ms of {at} (request '{record.RequestId}') is {record.LatencyMs}; it must be a finite number of milliseconds, at least 0");
        }
    }
}
