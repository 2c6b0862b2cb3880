namespace Ferry.Data.Catalog;

/// <summary>
/// The dataset catalog's schema, as ordered migrations. Each step runs once, in its own transaction, and
/// is recorded in <c>schema_migrations</c> under the component name, so other areas can keep their own
/// migration track in the same store file. Table names carry a <c>catalog_</c> prefix because the tracking
/// store, which shares the file, has MLflow's own <c>datasets</c> table.
/// </summary>
internal static class CatalogMigrations
{
    public const string Component = "data";

    public static readonly IReadOnlyList<string> Steps =
    [
        """
        CREATE TABLE catalog_datasets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE catalog_versions (
            id INTEGER PRIMARY KEY,
            dataset_id INTEGER NOT NULL REFERENCES catalog_datasets(id),
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            label TEXT NOT NULL,
            task TEXT NOT NULL,
            schema_json TEXT NOT NULL,
            profiles_json TEXT NOT NULL,
            source_path TEXT NOT NULL,
            format TEXT NOT NULL,
            bad_row_count INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (dataset_id, version),
            UNIQUE (dataset_id, content_hash)
        );
        """,
    ];
}
