namespace Ferry.Tracking.Storage.Sqlite;

/// <summary>The tracking schema in SQLite, as ordered steps. Never edit a released step: add a new one.</summary>
internal static class SqliteMigrations
{
    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            component TEXT NOT NULL,
            version INTEGER NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (component, version))
        """;

    public static readonly IReadOnlyList<string> Steps =
    [
        """
        CREATE TABLE experiments (
            experiment_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
            creation_time INTEGER NOT NULL,
            last_update_time INTEGER NOT NULL);
        CREATE TABLE experiment_tags (
            experiment_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key));
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            experiment_id INTEGER NOT NULL,
            run_name TEXT NOT NULL,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
            start_time INTEGER NOT NULL,
            end_time INTEGER NULL,
            artifact_uri TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
            deleted_time INTEGER NULL);
        CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time DESC, run_id);
        CREATE TABLE metrics (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value REAL NULL,
            is_nan INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            step INTEGER NOT NULL);
        CREATE INDEX metrics_by_run_key ON metrics (run_id, key, timestamp, step);
        CREATE TABLE latest_metrics (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value REAL NULL,
            is_nan INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            step INTEGER NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value);
        CREATE TABLE params (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE TABLE tags (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE TABLE datasets (
            dataset_id INTEGER PRIMARY KEY,
            experiment_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            digest TEXT NOT NULL,
            source_type TEXT NOT NULL,
            source TEXT NOT NULL,
            schema TEXT NULL,
            profile TEXT NULL,
            UNIQUE (experiment_id, name, digest));
        CREATE TABLE run_inputs (
            run_id TEXT NOT NULL,
            dataset_id INTEGER NOT NULL,
            context TEXT NULL,
            PRIMARY KEY (run_id, dataset_id));
        CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_id);
        INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', @default_artifact_location, 'active', @now, @now);
        """,
        """
        CREATE TABLE registered_models (
            name TEXT PRIMARY KEY,
            creation_time INTEGER NOT NULL,
            last_updated_time INTEGER NOT NULL,
            description TEXT NOT NULL,
            last_version INTEGER NOT NULL);
        CREATE INDEX registered_models_by_update ON registered_models (last_updated_time);
        CREATE TABLE registered_model_tags (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name, key));
        CREATE TABLE model_versions (
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            creation_time INTEGER NOT NULL,
            last_updated_time INTEGER NOT NULL,
            description TEXT NOT NULL,
            user_id TEXT NOT NULL,
            current_stage TEXT NOT NULL CHECK (current_stage IN ('None', 'Staging', 'Production', 'Archived')),
            source TEXT NOT NULL,
            run_id TEXT NULL,
            run_link TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
            status_message TEXT NULL,
            model_id TEXT NULL,
            dataset_versions TEXT NOT NULL,
            signature TEXT NULL,
            PRIMARY KEY (name, version));
        CREATE INDEX model_versions_by_run ON model_versions (run_id);
        CREATE INDEX model_versions_by_update ON model_versions (last_updated_time);
        CREATE TABLE model_version_tags (
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name, version, key));
        CREATE TABLE registered_model_aliases (
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (name, alias));
        """,
        """
        CREATE TABLE logged_models (
            model_id TEXT PRIMARY KEY,
            experiment_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            artifact_uri TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED')),
            model_type TEXT NOT NULL,
            source_run_id TEXT NULL,
            creation_time INTEGER NOT NULL,
            last_updated_time INTEGER NOT NULL);
        CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, name);
        CREATE TABLE logged_model_tags (
            model_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (model_id, key));
        CREATE TABLE logged_model_params (
            model_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (model_id, key));
        CREATE TABLE run_model_outputs (
            run_id TEXT NOT NULL,
            model_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            PRIMARY KEY (run_id, model_id));
        CREATE INDEX run_model_outputs_by_model ON run_model_outputs (model_id);
        """,
        """
        CREATE TABLE prediction_log (
            id INTEGER PRIMARY KEY,
            request_id TEXT NOT NULL,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            at INTEGER NOT NULL,
            latency_ms REAL NOT NULL,
            inputs_json TEXT NOT NULL,
            outputs_json TEXT NOT NULL,
            shadow INTEGER NOT NULL,
            label TEXT NULL,
            label_at INTEGER NULL);
        CREATE INDEX prediction_log_by_model_time ON prediction_log (model, version, at);
        CREATE INDEX prediction_log_by_request ON prediction_log (request_id);
        """,
    ];
}
