using System.Data.Common;
using Ferry.Tracking.Registry;

namespace Ferry.Tracking.Storage;

/// <summary>
/// How a model version's source leads to MLflow 3 logged models: <c>models:/&lt;model_id&gt;</c> names one, a
/// <c>runs:/&lt;run_id&gt;/&lt;name&gt;</c> source may name one the run logged, and registering from one tags it with
/// <c>mlflow.modelVersions</c>, as MLflow's server does.
/// </summary>
public abstract partial class SqlTrackingStore
{
    private const string ModelsScheme = "models:/";
    private const string RunsScheme = "runs:/";

    /// <summary>How deep <c>models:/name/version</c> sources may point at one another before the chain is given up.</summary>
    private const int MaxSourceHops = 8;

    /// <summary>The model a new version comes from and the run to record, as MLflow resolves them.</summary>
    /// <param name="ModelId">The model id to record, if any.</param>
    /// <param name="RunId">The run to record, if any.</param>
    /// <param name="Logged">Whether <paramref name="ModelId"/> is a logged model of this store, to be tagged with the version.</param>
    private readonly record struct VersionOrigin(string? ModelId, string? RunId, bool Logged);

    /// <summary>
    /// The logged model a registration names: <c>model_id</c>, else the id in a <c>models:/&lt;id&gt;</c> source (which must
    /// exist: the version's files are the model's), else the model the run of a <c>runs:/&lt;run&gt;/&lt;name&gt;</c> source
    /// logged under that name, if any. The run defaults to the model's source run, as in MLflow. A <c>model_id</c> that names
    /// no logged model is recorded as given (Ferry callers may use their own ids there) and tags nothing.
    /// </summary>
    private static async Task<VersionOrigin> ResolveOriginAsync(
        DbConnection connection, DbTransaction transaction, CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        var runId = string.IsNullOrEmpty(request.RunId) ? null : request.RunId;
        var fromSource = ModelIdOf(request.Source);
        if (fromSource is not null && await ModelRunAsync(connection, transaction, fromSource, cancellationToken) is null)
        {
            throw TrackingErrors.NotFound(
                $"the source '{request.Source}' names logged model '{fromSource}', which does not exist: log the model first (POST logged-models) or check the id");
        }

        var modelId = string.IsNullOrEmpty(request.ModelId) ? fromSource : request.ModelId;
        if (modelId is null && TryRunsUri(request.Source, out var sourceRun, out var path) && path.Length > 0)
        {
            modelId = await FindRunModelAsync(connection, transaction, sourceRun, path, cancellationToken);
        }

        if (modelId is null || await ModelRunAsync(connection, transaction, modelId, cancellationToken) is not { } modelRun)
        {
            return new VersionOrigin(modelId, runId, Logged: false);
        }

        return new VersionOrigin(modelId, runId ?? (modelRun.Length > 0 ? modelRun : null), Logged: true);
    }

    /// <summary>The source run of a logged model ("" when it has none), or null when no such model exists.</summary>
    private static async Task<string?> ModelRunAsync(DbConnection connection, DbTransaction transaction, string modelId, CancellationToken cancellationToken) =>
        await Db.ScalarAsync(connection, transaction, "SELECT COALESCE(source_run_id, '') FROM logged_models WHERE model_id = @id", cancellationToken, ("@id", modelId)) as string;

    /// <summary>The model a run logged under <paramref name="name"/>: the one it output at the largest step, then the newest.</summary>
    private static async Task<string?> FindRunModelAsync(DbConnection connection, DbTransaction transaction, string runId, string name, CancellationToken cancellationToken) =>
        await Db.ScalarAsync(connection, transaction, """
            SELECT lm.model_id FROM logged_models lm
            LEFT JOIN run_model_outputs o ON o.model_id = lm.model_id AND o.run_id = lm.source_run_id
            WHERE lm.source_run_id = @r AND lm.name = @n
            ORDER BY COALESCE(o.step, -1) DESC, lm.creation_time DESC, lm.model_id
            LIMIT 1
            """, cancellationToken, ("@r", runId), ("@n", name)) as string;

    /// <summary>Adds the version to the logged model's <c>mlflow.modelVersions</c> tag (the model's update time is left alone, as in MLflow).</summary>
    private static async Task TagModelWithVersionAsync(
        DbConnection connection, DbTransaction transaction, string modelId, string name, int version, CancellationToken cancellationToken)
    {
        var existing = await Db.ScalarAsync(connection, transaction, "SELECT value FROM logged_model_tags WHERE model_id = @id AND key = @k", cancellationToken,
            ("@id", modelId), ("@k", ModelVersionsTag.Key)) as string;
        await UpsertModelKeyValuesAsync(connection, transaction, "logged_model_tags", modelId,
            [new LoggedModels.LoggedModelKeyValue(ModelVersionsTag.Key, ModelVersionsTag.Append(existing, name, version))], cancellationToken);
    }

    /// <summary>
    /// Where a version's files are: a <c>models:/&lt;id&gt;</c> source (or a <c>runs:/</c> source tied to a logged model) is the
    /// logged model's artifact location, a <c>models:/&lt;name&gt;/&lt;version&gt;</c> source is that version's location, and
    /// any other source is where the files are already.
    /// </summary>
    private static async Task<string> StorageLocationAsync(
        DbConnection connection, string source, string? modelId, int hops, CancellationToken cancellationToken)
    {
        var referenced = ModelIdOf(source) ?? (source.StartsWith(RunsScheme, StringComparison.Ordinal) ? modelId : null);
        if (referenced is not null)
        {
            return await Db.ScalarAsync(connection, null, "SELECT artifact_uri FROM logged_models WHERE model_id = @id", cancellationToken, ("@id", referenced)) as string
                ?? source;
        }

        if (hops < MaxSourceHops && source.StartsWith(ModelsScheme, StringComparison.Ordinal)
            && source[ModelsScheme.Length..].Split('/') is [{ Length: > 0 } otherName, var number]
            && int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var otherVersion))
        {
            (string Source, string? ModelId)? other = null;
            await using (var command = Db.Command(connection, null, "SELECT source, model_id FROM model_versions WHERE name = @n AND version = @v", ("@n", otherName), ("@v", otherVersion)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    other = (reader.GetString(0), Db.NullableString(reader, 1));
                }
            }

            if (other is { } found)
            {
                return await StorageLocationAsync(connection, found.Source, found.ModelId, hops + 1, cancellationToken);
            }
        }

        return source;
    }

    /// <summary>The id in <c>models:/&lt;model_id&gt;</c> (one segment, no alias), as MLflow's URI parser reads it; null for other sources.</summary>
    private static string? ModelIdOf(string source)
    {
        if (!source.StartsWith(ModelsScheme, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = source[ModelsScheme.Length..].Trim('/');
        return rest.Length > 0 && !rest.Contains('/', StringComparison.Ordinal) && !rest.Contains('@', StringComparison.Ordinal) ? rest : null;
    }

    private static bool TryRunsUri(string source, out string runId, out string path)
    {
        runId = path = "";
        if (!source.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = source[RunsScheme.Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        runId = slash < 0 ? rest : rest[..slash];
        path = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        return runId.Length > 0;
    }
}
