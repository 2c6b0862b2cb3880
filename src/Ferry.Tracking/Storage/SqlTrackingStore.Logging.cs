using System.Data.Common;
using System.Globalization;
using System.Text;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

public abstract partial class SqlTrackingStore
{
    /// <inheritdoc />
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        TrackingValidation.Batch(metrics, parameters, tags);
        var uniqueParams = UniqueParams(parameters);
        var finalTags = LastByKey(tags);
        // An exact repeat of a point adds nothing (MLflow's primary key drops it too).
        var points = metrics.Distinct().ToList();
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
            // Params first: a changed param fails the batch before anything else is written (and the rollback covers the rest).
            await InsertParamsAsync(connection, transaction, runId, uniqueParams, cancellationToken);
            if (points.Count > 0)
            {
                await _dialect.InsertMetricsAsync(connection, transaction, runId, points, cancellationToken);
            }

            await UpdateLatestMetricsAsync(connection, transaction, runId, points, cancellationToken);
            await UpsertTagsAsync(connection, transaction, runId, finalTags, cancellationToken);
            if (finalTags.LastOrDefault(t => t.Key == RunNameTag) is { } nameTag)
            {
                await Db.ExecuteAsync(connection, transaction, "UPDATE runs SET run_name = @n WHERE run_id = @id", cancellationToken, ("@n", nameTag.Value), ("@id", runId));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        datasets ??= [];
        foreach (var dataset in datasets)
        {
            TrackingValidation.Dataset(dataset);
        }

        return WriteAsync(async (connection, transaction) =>
        {
            var info = await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
            var experimentId = long.Parse(info.ExperimentId, CultureInfo.InvariantCulture);
            foreach (var dataset in datasets.DistinctBy(d => (d.Name, d.Digest)))
            {
                // A dataset is stored once per experiment and shared by every run that read it.
                await Db.ExecuteAsync(connection, transaction, """
                    INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                    VALUES (@e, @n, @d, @t, @s, @schema, @profile)
                    ON CONFLICT (experiment_id, name, digest) DO NOTHING
                    """, cancellationToken,
                    ("@e", experimentId), ("@n", dataset.Name), ("@d", dataset.Digest), ("@t", dataset.SourceType), ("@s", dataset.Source),
                    ("@schema", dataset.Schema), ("@profile", dataset.Profile));
                var datasetId = await Db.ScalarAsync(connection, transaction,
                    "SELECT dataset_id FROM datasets WHERE experiment_id = @e AND name = @n AND digest = @d", cancellationToken,
                    ("@e", experimentId), ("@n", dataset.Name), ("@d", dataset.Digest));
                await Db.ExecuteAsync(connection, transaction,
                    "INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (@r, @ds, @c) ON CONFLICT (run_id, dataset_id) DO NOTHING", cancellationToken,
                    ("@r", runId), ("@ds", datasetId), ("@c", dataset.Context));
            }
        }, cancellationToken);
    }

    /// <summary>The batch's params by key; the same key twice with different values is refused, as MLflow does.</summary>
    private static List<Param> UniqueParams(IReadOnlyList<Param> parameters)
    {
        var byKey = new Dictionary<string, Param>(StringComparer.Ordinal);
        foreach (var param in parameters)
        {
            if (byKey.TryGetValue(param.Key, out var earlier) && earlier.Value != param.Value)
            {
                throw TrackingErrors.Invalid(
                    $"param '{param.Key}' appears twice in the batch with different values ('{earlier.Value}' and '{param.Value}'): send each param once");
            }

            byKey[param.Key] = param;
        }

        // Sorted keys make concurrent batches lock rows in one order, so PostgreSQL cannot deadlock them.
        return byKey.Values.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    private static List<RunTag> LastByKey(IEnumerable<RunTag> tags)
    {
        var byKey = new Dictionary<string, RunTag>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            byKey[tag.Key] = tag;
        }

        return byKey.Values.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Inserts new params and reads back the stored value of every key in the same statement (the no-op update
    /// makes RETURNING yield existing rows too), so a param that would change is caught even against a concurrent writer.
    /// </summary>
    private static async Task InsertParamsAsync(DbConnection connection, DbTransaction transaction, string runId, List<Param> parameters, CancellationToken cancellationToken)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        await using var command = Db.Command(connection, transaction, "", ("@run", runId));
        var values = new StringBuilder();
        for (var i = 0; i < parameters.Count; i++)
        {
            values.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@run, @k{i}, @v{i})");
            Db.Add(command, $"@k{i}", parameters[i].Key);
            Db.Add(command, $"@v{i}", parameters[i].Value);
        }

        command.CommandText = $"INSERT INTO params (run_id, key, value) VALUES {values} ON CONFLICT (run_id, key) DO UPDATE SET value = params.value RETURNING key, value";
        var wanted = parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            var stored = reader.GetString(1);
            if (stored != wanted[key])
            {
                throw TrackingErrors.Invalid(
                    $"param '{key}' was already logged with value '{stored}'; a run's params cannot change (got '{wanted[key]}')");
            }
        }
    }

    /// <summary>
    /// Moves each key's latest point forward if this batch has a later one: highest step, then latest timestamp,
    /// then largest value (NaN lowest), MLflow's rule. The batch's own best per key is found here; the
    /// conditional upsert compares it with the stored one under the row lock.
    /// </summary>
    private async Task UpdateLatestMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, List<Metric> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        var best = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (!best.TryGetValue(metric.Key, out var current) || IsLater(metric, current))
            {
                best[metric.Key] = metric;
            }
        }

        var latest = best.Values.OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var neg = _dialect.NegativeInfinitySql;
        await using var command = Db.Command(connection, transaction, "", ("@run", runId));
        command.CommandText = $"""
            INSERT INTO latest_metrics AS l (run_id, key, value, is_nan, timestamp, step) VALUES {MetricRows(command, latest)}
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
            WHERE excluded.step > l.step
               OR (excluded.step = l.step AND excluded.timestamp > l.timestamp)
               OR (excluded.step = l.step AND excluded.timestamp = l.timestamp AND COALESCE(excluded.value, {neg}) > COALESCE(l.value, {neg}))
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsLater(Metric candidate, Metric current) =>
        candidate.Step != current.Step ? candidate.Step > current.Step
        : candidate.Timestamp != current.Timestamp ? candidate.Timestamp > current.Timestamp
        : (double.IsNaN(candidate.Value) ? double.NegativeInfinity : candidate.Value) > (double.IsNaN(current.Value) ? double.NegativeInfinity : current.Value);

    /// <summary>VALUES rows for metric points, adding their parameters; the run id is <c>@run</c>.</summary>
    private static string MetricRows(DbCommand command, List<Metric> metrics)
    {
        var rows = new StringBuilder();
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            rows.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@run, @k{i}, @v{i}, @n{i}, @t{i}, @s{i})");
            Db.Add(command, $"@k{i}", metric.Key);
            Db.Add(command, $"@v{i}", Db.MetricValueParameter(metric.Value));
            Db.Add(command, $"@n{i}", double.IsNaN(metric.Value));
            Db.Add(command, $"@t{i}", metric.Timestamp);
            Db.Add(command, $"@s{i}", metric.Step);
        }

        return rows.ToString();
    }

    private static async Task UpsertTagsAsync(DbConnection connection, DbTransaction transaction, string runId, List<RunTag> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return;
        }

        await using var command = Db.Command(connection, transaction, "", ("@run", runId));
        var values = new StringBuilder();
        for (var i = 0; i < tags.Count; i++)
        {
            values.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@run, @k{i}, @v{i})");
            Db.Add(command, $"@k{i}", tags[i].Key);
            Db.Add(command, $"@v{i}", tags[i].Value);
        }

        command.CommandText = $"INSERT INTO tags (run_id, key, value) VALUES {values} ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
