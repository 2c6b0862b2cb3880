using System.Data.Common;
using System.Globalization;
using Ferry.Tracking.Model;
using Ferry.Tracking.Search;

namespace Ferry.Tracking.Storage;

public abstract partial class SqlTrackingStore
{
    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tags = request.Tags ?? [];
        TrackingValidation.Batch([], [], tags);
        var runName = request.RunName;
        if (string.IsNullOrEmpty(runName))
        {
            runName = tags.LastOrDefault(t => t.Key == RunNameTag)?.Value is { Length: > 0 } tagged ? tagged : GenerateRunName();
        }

        // The name tag always mirrors the run name, as MLflow keeps it.
        var finalTags = LastByKey(tags.Where(t => t.Key != RunNameTag).Append(new RunTag(RunNameTag, runName)));
        var runId = NewRunId();
        return await WriteAsync(async (connection, transaction) =>
        {
            var experimentId = await RequireExperimentAsync(connection, transaction, request.ExperimentId, LifecycleStage.Active, "starting a run in", cancellationToken);
            var location = (string)(await Db.ScalarAsync(connection, transaction, "SELECT artifact_location FROM experiments WHERE experiment_id = @id", cancellationToken, ("@id", experimentId)))!;
            await Db.ExecuteAsync(connection, transaction, """
                INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, deleted_time)
                VALUES (@id, @e, @n, @u, 'RUNNING', @s, NULL, @a, 'active', NULL)
                """, cancellationToken,
                ("@id", runId), ("@e", experimentId), ("@n", runName), ("@u", request.UserId ?? ""), ("@s", request.StartTime ?? Now()),
                ("@a", location.TrimEnd('/') + "/" + runId + "/artifacts"));
            await UpsertTagsAsync(connection, transaction, runId, finalTags, cancellationToken);
            return (await ReadRunsAsync(connection, transaction, [(await FindRunInfoAsync(connection, transaction, runId, cancellationToken))!], cancellationToken))[0];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var info = await RequireRunAsync(connection, null, runId, cancellationToken);
        return (await ReadRunsAsync(connection, null, [info], cancellationToken))[0];
    }

    /// <inheritdoc />
    public Task<RunInfo> UpdateRunAsync(string runId, RunStatus? status, long? endTime, string? runName, CancellationToken cancellationToken)
    {
        if (status is { } s && !Enum.IsDefined(s))
        {
            throw TrackingErrors.Invalid($"status {(int)s} is not a run status: use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED");
        }

        return WriteAsync(async (connection, transaction) =>
        {
            var info = await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
            var name = string.IsNullOrEmpty(runName) ? info.RunName : runName;
            await Db.ExecuteAsync(connection, transaction, "UPDATE runs SET status = @s, end_time = @e, run_name = @n WHERE run_id = @id", cancellationToken,
                ("@s", StoreText.Status(status ?? info.Status)), ("@e", endTime ?? info.EndTime), ("@n", name), ("@id", runId));
            if (!string.IsNullOrEmpty(runName))
            {
                await UpsertTagsAsync(connection, transaction, runId, [new RunTag(RunNameTag, runName)], cancellationToken);
            }

            return info with { Status = status ?? info.Status, EndTime = endTime ?? info.EndTime, RunName = name };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await RequireRunAsync(connection, transaction, runId, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = @t WHERE run_id = @id", cancellationToken,
                ("@t", Now()), ("@id", runId));
        }, cancellationToken);

    /// <inheritdoc />
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await RequireRunAsync(connection, transaction, runId, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_id = @id", cancellationToken,
                ("@id", runId));
        }, cancellationToken);

    /// <inheritdoc />
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
            var removed = await Db.ExecuteAsync(connection, transaction, "DELETE FROM tags WHERE run_id = @id AND key = @k", cancellationToken,
                ("@id", runId), ("@k", key ?? ""));
            if (removed == 0)
            {
                throw TrackingErrors.NotFound($"run '{runId}' has no tag '{key}'");
            }
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await RequireRunAsync(connection, null, runId, cancellationToken);
        await using var command = Db.Command(connection, null,
            "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = @id AND key = @k ORDER BY timestamp, step, id",
            ("@id", runId), ("@k", key ?? ""));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var history = new List<Metric>();
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(ReadMetric(reader, 0));
        }

        return history;
    }

    /// <inheritdoc />
    public async Task<ResultPage<Run>> SearchRunsAsync(RunSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrackingValidation.MaxResults(request.MaxResults);
        var offset = PageToken.Decode(request.PageToken);
        var experimentIds = new List<long>();
        foreach (var text in request.ExperimentIds ?? [])
        {
            if (StoreText.TryExperimentId(text, out var id))
            {
                experimentIds.Add(id);
            }
        }

        if (experimentIds.Count == 0)
        {
            return new ResultPage<Run>([], null);
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var infos = new List<RunInfo>();
        await using (var command = Db.Command(connection, null, ""))
        {
            // Parsing first: a malformed filter is the caller's error, reported before any query runs.
            var query = RunQueryBuilder.Build(RunFilterParser.Parse(request.Filter), RunOrderByParser.Parse(request.OrderBy), _dialect.Search);
            var where = $"r.experiment_id IN ({Db.InList(command, "x_e", experimentIds)}) AND r.lifecycle_stage IN {StoreText.StagesSql(request.ViewType)} AND ({query.WhereSql})";
            for (var i = 0; i < query.Parameters.Count; i++)
            {
                Db.Add(command, "@p" + i.ToString(CultureInfo.InvariantCulture), query.Parameters[i]);
            }

            Db.Add(command, "@x_limit", (long)request.MaxResults + 1);
            Db.Add(command, "@x_offset", offset);
            command.CommandText = $"SELECT {RunColumns} FROM runs r WHERE {where} ORDER BY {query.OrderBySql} LIMIT @x_limit OFFSET @x_offset";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                infos.Add(ReadRunInfo(reader));
            }
        }

        string? next = null;
        if (infos.Count > request.MaxResults)
        {
            infos.RemoveAt(infos.Count - 1);
            next = PageToken.Encode(offset + request.MaxResults);
        }

        return new ResultPage<Run>(await ReadRunsAsync(connection, null, infos, cancellationToken), next);
    }

    private static Metric ReadMetric(DbDataReader reader, int first) =>
        new(reader.GetString(first), Db.MetricValue(reader, first + 1, first + 2), Db.Long(reader, first + 3), Db.Long(reader, first + 4));

    /// <summary>The full runs for <paramref name="infos"/>, in the same order, loading their data a chunk of runs at a time.</summary>
    private static async Task<IReadOnlyList<Run>> ReadRunsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<RunInfo> infos, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, List<Metric>>();
        var parameters = new Dictionary<string, List<Param>>();
        var tags = new Dictionary<string, List<RunTag>>();
        var inputs = new Dictionary<string, List<DatasetInput>>();
        foreach (var chunk in infos.Select(i => i.RunId).Chunk(500))
        {
            await ReadGroupedAsync(connection, transaction, chunk, metrics, "SELECT run_id, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_id IN ({0}) ORDER BY key",
                reader => ReadMetric(reader, 1), cancellationToken);
            await ReadGroupedAsync(connection, transaction, chunk, parameters, "SELECT run_id, key, value FROM params WHERE run_id IN ({0}) ORDER BY key",
                reader => new Param(reader.GetString(1), reader.GetString(2)), cancellationToken);
            await ReadGroupedAsync(connection, transaction, chunk, tags, "SELECT run_id, key, value FROM tags WHERE run_id IN ({0}) ORDER BY key",
                reader => new RunTag(reader.GetString(1), reader.GetString(2)), cancellationToken);
            await ReadGroupedAsync(connection, transaction, chunk, inputs, """
                SELECT ri.run_id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile, ri.context
                FROM run_inputs ri JOIN datasets d ON d.dataset_id = ri.dataset_id
                WHERE ri.run_id IN ({0}) ORDER BY d.dataset_id
                """,
                reader => new DatasetInput(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    Db.NullableString(reader, 5), Db.NullableString(reader, 6), Db.NullableString(reader, 7)),
                cancellationToken);
        }

        return infos.Select(info => new Run(
            info,
            new RunData(Get(metrics, info.RunId), Get(parameters, info.RunId), Get(tags, info.RunId)),
            Get(inputs, info.RunId))).ToList();

        static IReadOnlyList<T> Get<T>(Dictionary<string, List<T>> map, string runId) => map.TryGetValue(runId, out var list) ? list : [];
    }

    /// <summary>Runs a query whose first column is run_id and groups the rows it reads by run.</summary>
    private static async Task ReadGroupedAsync<T>(
        DbConnection connection, DbTransaction? transaction, string[] runIds, Dictionary<string, List<T>> into, string sqlFormat,
        Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, "");
        command.CommandText = string.Format(CultureInfo.InvariantCulture, sqlFormat, Db.InList(command, "r", runIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var runId = reader.GetString(0);
            if (!into.TryGetValue(runId, out var list))
            {
                into[runId] = list = [];
            }

            list.Add(read(reader));
        }
    }
}
