import GRDB
import Tracking

/// The registry's tables in the tracking store's SQLite file, as named migrations registered with
/// `SQLiteTrackingStore.migrate(_:)`; identifiers start with `registry.`. Table names are MLflow's
/// (`registered_models`, `model_versions`, `registered_model_tags`, `model_version_tags`,
/// `registered_model_aliases`) plus `promotion_decisions`. See `docs/design/registry.md`.
///
/// ```swift
/// RegistrySchema.migrationNames   // ["registry.v1.initial", "registry.v2.version-lineage"]
/// ```
public enum RegistrySchema {
    public static let prefix = "registry."

    /// The identifiers of the registry steps, oldest first; the last one is the current version.
    public static var migrationNames: [String] { steps.map(\.name) }

    /// The steps, for `SQLiteTrackingStore.migrate(_:)`.
    public static let steps: [StoreMigration] = [
        StoreMigration(name: "registry.v1.initial") { db in
            try db.execute(sql: """
                -- last_version: the highest version ever allocated, so numbers are never reused.
                CREATE TABLE registered_models (
                    name TEXT PRIMARY KEY,
                    creation_time INTEGER NOT NULL,
                    last_updated_time INTEGER NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    user_id TEXT,
                    last_version INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE model_versions (
                    name TEXT NOT NULL REFERENCES registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    creation_time INTEGER NOT NULL,
                    last_updated_time INTEGER NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    user_id TEXT,
                    current_stage TEXT NOT NULL CHECK (current_stage IN ('None', 'Staging', 'Production', 'Archived')),
                    source TEXT NOT NULL,
                    run_id TEXT,
                    status TEXT NOT NULL CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
                    status_message TEXT,
                    PRIMARY KEY (name, version)
                );
                CREATE INDEX model_versions_by_run ON model_versions(run_id);
                CREATE TABLE registered_model_tags (
                    name TEXT NOT NULL REFERENCES registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (name, key)
                );
                CREATE TABLE model_version_tags (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (name, version, key),
                    FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON UPDATE CASCADE ON DELETE CASCADE
                );
                -- An alias points at one version (primary key (name, alias)); deleting the version drops it.
                CREATE TABLE registered_model_aliases (
                    name TEXT NOT NULL,
                    alias TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (name, alias),
                    FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON UPDATE CASCADE ON DELETE CASCADE
                );
                CREATE INDEX registered_model_aliases_by_version ON registered_model_aliases(name, version);
                -- The history of promotion decisions; kept when the model is renamed or deleted.
                CREATE TABLE promotion_decisions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    model TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    alias TEXT NOT NULL,
                    applied INTEGER NOT NULL CHECK (applied IN (0, 1)),
                    actor TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    decision TEXT NOT NULL
                );
                CREATE INDEX promotion_decisions_by_model ON promotion_decisions(model, id);
                """)
        },
        // MLflow 3: the logged model a version was registered from, and the client's run_link.
        StoreMigration(name: "registry.v2.version-lineage") { db in
            try db.execute(sql: """
                ALTER TABLE model_versions ADD COLUMN model_id TEXT;
                ALTER TABLE model_versions ADD COLUMN run_link TEXT;
                """)
        },
    ]
}
