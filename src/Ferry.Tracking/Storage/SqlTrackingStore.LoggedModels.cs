using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Tracking.LoggedModels;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

/// <summary>MLflow 3's logged models and run outputs.</summary>
public abstract partial class SqlTrackingStore : ILoggedModelStore
{
    /// <summary>Every table keyed by model id, children first.</summary>
    private static readonly string[] LoggedModelTables = ["run_model_outputs", "logged_model_params", "logged_model_tags", "logged_models"];

    private const string LoggedModelColumns =
        "model_id, experiment_id, name, artifact_uri, status, model_type, source_run_id, creation_time, last_updated_time";

    /// <inheritdoc />
    public async Task<LoggedModel> CreateLoggedModelAsync(CreateLoggedModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckKeyValues(request.Tags, "tags");
        CheckKeyValues(request.Params, "params");
        var modelId = "m-" + Guid.NewGuid().ToString("N");
        var name = string.IsNullOrEmpty(request.Name) ? "model" : request.Name;
        return await WriteAsync(async (connection, transaction) =>
        {
            var experimentId = await RequireExperimentAsync(connection, transaction, request.ExperimentId, LifecycleStage.Active, "logging a model in", cancellationToken);
            if (!string.IsNullOrEmpty(request.SourceRunId))
            {
                await RequireRunAsync(connection, transaction, request.SourceRunId, cancellationToken);
            }

            var location = (string)(await Db.ScalarAsync(connection, transaction, "SELECT artifact_location FROM experiments WHERE experiment_id = @id", cancellationToken, ("@id", experimentId)))!;
            var now = Now();
            await Db.ExecuteAsync(connection, transaction, $"""
                INSERT INTO logged_models ({LoggedModelColumns})
                VALUES (@id, @e, @n, @a, 'LOGGED_MODEL_PENDING', @t, @r, @now, @now)
                """, cancellationToken,
                ("@id", modelId), ("@e", experimentId), ("@n", name), ("@a", location.TrimEnd('/') + "/models/" + modelId + "/artifacts"),
                ("@t", request.ModelType ?? ""), ("@r", string.IsNullOrEmpty(request.SourceRunId) ? null : request.SourceRunId), ("@now", now));
            await UpsertModelKeyValuesAsync(connection, transaction, "logged_model_tags", modelId, request.Tags, cancellationToken);
            await UpsertModelKeyValuesAsync(connection, transaction, "logged_model_params", modelId, request.Params, cancellationToken);
            return await ReadLoggedModelAsync(connection, transaction, modelId, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<LoggedModel> GetLoggedModelAsync(string modelId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await ReadLoggedModelAsync(connection, null, modelId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<LoggedModel> FinalizeLoggedModelAsync(string modelId, LoggedModelStatus status, CancellationToken cancellationToken)
    {
        var text = StatusText(status);
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLoggedModelAsync(connection, transaction, modelId, cancellationToken);
            await Db.ExecuteAsync(connection, transaction, "UPDATE logged_models SET status = @s, last_updated_time = @t WHERE model_id = @id", cancellationToken,
                ("@s", text), ("@t", Now()), ("@id", modelId));
            return await ReadLoggedModelAsync(connection, transaction, modelId, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetLoggedModelTagsAsync(string modelId, IReadOnlyList<LoggedModelKeyValue> tags, CancellationToken cancellationToken)
    {
        CheckKeyValues(tags, "tags");
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLoggedModelAsync(connection, transaction, modelId, cancellationToken);
            await UpsertModelKeyValuesAsync(connection, transaction, "logged_model_tags", modelId, tags, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteLoggedModelTagAsync(string modelId, string key, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await RequireLoggedModelAsync(connection, transaction, modelId, cancellationToken);
            var deleted = await Db.ExecuteAsync(connection, transaction, "DELETE FROM logged_model_tags WHERE model_id = @id AND key = @k", cancellationToken,
                ("@id", modelId), ("@k", key ?? ""));
            if (deleted == 0)
            {
                throw TrackingErrors.NotFound($"logged model '{modelId}' has no tag '{key}': check the key");
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task LogLoggedModelParamsAsync(string modelId, IReadOnlyList<LoggedModelKeyValue> parameters, CancellationToken cancellationToken)
    {
        CheckKeyValues(parameters, "params");
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLoggedModelAsync(connection, transaction, modelId, cancellationToken);
            await UpsertModelKeyValuesAsync(connection, transaction, "logged_model_params", modelId, parameters, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteLoggedModelAsync(string modelId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await RequireLoggedModelAsync(connection, transaction, modelId, cancellationToken);
            foreach (var table in LoggedModelTables)
            {
                await Db.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE model_id = @id", cancellationToken, ("@id", modelId));
            }
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedModel>> SearchLoggedModelsAsync(IReadOnlyList<string> experimentIds, string? filter, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        if (maxResults < 1)
        {
            throw TrackingErrors.Invalid($"max_results is {maxResults}; it must be at least 1");
        }

        var name = ParseNameFilter(filter);
        var ids = new List<long>(experimentIds.Count);
        foreach (var experimentId in experimentIds)
        {
            // An id that cannot exist matches nothing, as an unknown one does.
            if (StoreText.TryExperimentId(experimentId, out var id))
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var modelIds = new List<string>();
        await using (var command = Db.Command(connection, null, ""))
        {
            var sql = $"SELECT model_id FROM logged_models WHERE experiment_id IN ({Db.InList(command, "e", ids)})";
            if (name is not null)
            {
                sql += " AND name = @name";
                Db.Add(command, "@name", name);
            }

            command.CommandText = sql + " ORDER BY creation_time DESC, model_id LIMIT @limit";
            Db.Add(command, "@limit", maxResults);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                modelIds.Add(reader.GetString(0));
            }
        }

        var models = new List<LoggedModel>(modelIds.Count);
        foreach (var modelId in modelIds)
        {
            models.Add(await ReadLoggedModelAsync(connection, null, modelId, cancellationToken));
        }

        return models;
    }

    /// <inheritdoc />
    public Task LogRunOutputsAsync(string runId, IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
            foreach (var output in outputs)
            {
                await RequireLoggedModelAsync(connection, transaction, output.ModelId, cancellationToken);
                await Db.ExecuteAsync(connection, transaction,
                    "INSERT INTO run_model_outputs (run_id, model_id, step) VALUES (@r, @m, @s) ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step",
                    cancellationToken, ("@r", runId), ("@m", output.ModelId), ("@s", output.Step));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelOutput>> GetRunOutputsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await RequireRunAsync(connection, null, runId, cancellationToken);
        await using var command = Db.Command(connection, null, "SELECT model_id, step FROM run_model_outputs WHERE run_id = @r ORDER BY model_id", ("@r", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var outputs = new List<ModelOutput>();
        while (await reader.ReadAsync(cancellationToken))
        {
            outputs.Add(new ModelOutput(reader.GetString(0), Db.Long(reader, 1)));
        }

        return outputs;
    }

    /// <summary>MLflow's wire name of a status.</summary>
    internal static string StatusText(LoggedModelStatus status) => status switch
    {
        LoggedModelStatus.Pending => "LOGGED_MODEL_PENDING",
        LoggedModelStatus.Ready => "LOGGED_MODEL_READY",
        LoggedModelStatus.UploadFailed => "LOGGED_MODEL_UPLOAD_FAILED",
        _ => throw TrackingErrors.Invalid($"status {(int)status} is not a logged model status: use LOGGED_MODEL_PENDING, LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED"),
    };

    private static LoggedModelStatus ParseStatus(string text) => text switch
    {
        "LOGGED_MODEL_READY" => LoggedModelStatus.Ready,
        "LOGGED_MODEL_UPLOAD_FAILED" => LoggedModelStatus.UploadFailed,
        _ => LoggedModelStatus.Pending,
    };

    /// <summary>The name a filter asks for, null for no filter; the client only sends <c>name = '…'</c>.</summary>
    internal static string? ParseNameFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        var match = NameFilter().Match(filter);
        if (!match.Success)
        {
            throw TrackingErrors.Invalid($"Invalid filter '{filter}' for logged models: Ferry supports name = 'value' (or no filter)");
        }

        return match.Groups["single"].Success ? match.Groups["single"].Value : match.Groups["double"].Value;
    }

    [GeneratedRegex("""^\s*(?:attributes\.)?`?name`?\s*=\s*(?:'(?<single>[^']*)'|"(?<double>[^"]*)")\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex NameFilter();

    private static void CheckKeyValues(IReadOnlyList<LoggedModelKeyValue>? items, string field)
    {
        foreach (var item in items ?? [])
        {
            if (string.IsNullOrEmpty(item.Key))
            {
                throw TrackingErrors.Invalid($"Missing value for required parameter '{field}.key'");
            }

            if (item.Value is null)
            {
                throw TrackingErrors.Invalid($"Missing value for required parameter '{field}.value' of key '{item.Key}'");
            }
        }
    }

    private static async Task UpsertModelKeyValuesAsync(
        DbConnection connection, DbTransaction transaction, string table, string modelId, IReadOnlyList<LoggedModelKeyValue>? items, CancellationToken cancellationToken)
    {
        foreach (var item in items ?? [])
        {
            await Db.ExecuteAsync(connection, transaction,
                $"INSERT INTO {table} (model_id, key, value) VALUES (@id, @k, @v) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value",
                cancellationToken, ("@id", modelId), ("@k", item.Key), ("@v", item.Value));
        }
    }

    private static async Task RequireLoggedModelAsync(DbConnection connection, DbTransaction transaction, string modelId, CancellationToken cancellationToken)
    {
        if (await Db.ScalarAsync(connection, transaction, "SELECT 1 FROM logged_models WHERE model_id = @id", cancellationToken, ("@id", modelId ?? "")) is null)
        {
            throw LoggedModelNotFound(modelId);
        }
    }

    private static FerryException LoggedModelNotFound(string? modelId) =>
        TrackingErrors.NotFound($"Logged model with ID '{modelId}' not found: check the model_id");

    private static async Task<LoggedModel> ReadLoggedModelAsync(DbConnection connection, DbTransaction? transaction, string modelId, CancellationToken cancellationToken)
    {
        LoggedModel model;
        await using (var command = Db.Command(connection, transaction, $"SELECT {LoggedModelColumns} FROM logged_models WHERE model_id = @id", ("@id", modelId ?? "")))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw LoggedModelNotFound(modelId);
            }

            model = new LoggedModel(
                reader.GetString(0), StoreText.ExperimentId(Db.Long(reader, 1)), reader.GetString(2), reader.GetString(3), ParseStatus(reader.GetString(4)),
                reader.GetString(5), Db.NullableString(reader, 6), Db.Long(reader, 7), Db.Long(reader, 8), [], []);
        }

        return model with
        {
            Tags = await ReadModelKeyValuesAsync(connection, transaction, "logged_model_tags", model.ModelId, cancellationToken),
            Params = await ReadModelKeyValuesAsync(connection, transaction, "logged_model_params", model.ModelId, cancellationToken),
        };
    }

    private static async Task<IReadOnlyList<LoggedModelKeyValue>> ReadModelKeyValuesAsync(
        DbConnection connection, DbTransaction? transaction, string table, string modelId, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, $"SELECT key, value FROM {table} WHERE model_id = @id ORDER BY key", ("@id", modelId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<LoggedModelKeyValue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new LoggedModelKeyValue(reader.GetString(0), reader.GetString(1)));
        }

        return items;
    }
}
