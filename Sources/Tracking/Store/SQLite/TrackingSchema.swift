import GRDB

/// The SQLite schema of the tracking store as named GRDB migrations, one registered step per schema
/// change; identifiers start with `tracking.` so other layers (the registry) can add their own steps
/// to the same file. See `docs/design/tracking-store.md`.
///
/// ```swift
/// TrackingSchema.migrationNames   // ["tracking.v1.initial", "tracking.v2.logged_models"]
/// ```
public enum TrackingSchema {
    public static let prefix = "tracking."

    /// The identifiers of the tracking steps, oldest first; the last one is the current version.
    public static var migrationNames: [String] { steps.map(\.name) }

    static let steps: [StoreMigration] = [
        StoreMigration(name: "tracking.v1.initial") { db in
            try db.execute(sql: """
                CREATE TABLE experiments (
                    experiment_id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    artifact_location TEXT NOT NULL,
                    lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
                    creation_time INTEGER NOT NULL,
                    last_update_time INTEGER NOT NULL
                );
                CREATE TABLE experiment_tags (
                    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (experiment_id, key)
                );
                CREATE TABLE runs (
                    run_id TEXT PRIMARY KEY,
                    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                    run_name TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
                    start_time INTEGER NOT NULL,
                    end_time INTEGER,
                    artifact_uri TEXT NOT NULL,
                    lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
                    deleted_time INTEGER
                );
                CREATE INDEX runs_by_experiment ON runs(experiment_id, lifecycle_stage);
                CREATE TABLE params (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                );
                CREATE TABLE run_tags (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                );
                -- Full history. NaN is stored as value 0 with is_nan = 1 (SQLite reads a NaN REAL back
                -- as NULL); ±infinity is stored as the REAL itself. A point identical in every field is
                -- stored once, as MLflow does, so a replayed request adds nothing.
                CREATE TABLE metrics (
                    seq INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value REAL NOT NULL,
                    is_nan INTEGER NOT NULL CHECK (is_nan IN (0, 1)),
                    timestamp INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    UNIQUE (run_id, key, step, timestamp, value, is_nan)
                );
                CREATE TABLE latest_metrics (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value REAL NOT NULL,
                    is_nan INTEGER NOT NULL CHECK (is_nan IN (0, 1)),
                    timestamp INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key)
                );
                CREATE TABLE datasets (
                    dataset_uuid TEXT PRIMARY KEY,
                    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                    name TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    source_type TEXT NOT NULL,
                    source TEXT NOT NULL,
                    schema TEXT,
                    profile TEXT,
                    UNIQUE (experiment_id, name, digest)
                );
                CREATE TABLE run_inputs (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    dataset_uuid TEXT NOT NULL REFERENCES datasets(dataset_uuid),
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (run_id, dataset_uuid)
                );
                CREATE TABLE run_input_tags (
                    run_id TEXT NOT NULL,
                    dataset_uuid TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, dataset_uuid, key),
                    FOREIGN KEY (run_id, dataset_uuid) REFERENCES run_inputs(run_id, dataset_uuid) ON DELETE CASCADE
                );
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    timestamp INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    entity_kind TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    details TEXT NOT NULL
                );
                CREATE INDEX audit_by_entity ON audit_log(entity_kind, entity_id);
                """)
        },
        // MLflow 3 logged models and the run <-> model edges. Statuses are MLflow's enum numbers
        // (LoggedModelStatus.number); model metrics keep NaN as runs' metrics do.
        StoreMigration(name: "tracking.v2.logged_models") { db in
            try db.execute(sql: """
                CREATE TABLE logged_models (
                    model_id TEXT PRIMARY KEY,
                    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
                    name TEXT NOT NULL,
                    artifact_location TEXT NOT NULL,
                    creation_timestamp_ms INTEGER NOT NULL,
                    last_updated_timestamp_ms INTEGER NOT NULL,
                    status INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),
                    lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
                    model_type TEXT NOT NULL,
                    source_run_id TEXT NOT NULL,
                    status_message TEXT
                );
                CREATE INDEX logged_models_by_experiment ON logged_models(experiment_id, lifecycle_stage);
                CREATE TABLE logged_model_tags (
                    model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (model_id, key)
                );
                CREATE TABLE logged_model_params (
                    model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (model_id, key)
                );
                CREATE TABLE logged_model_metrics (
                    seq INTEGER PRIMARY KEY,
                    model_id TEXT NOT NULL REFERENCES logged_models(model_id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value REAL NOT NULL,
                    is_nan INTEGER NOT NULL CHECK (is_nan IN (0, 1)),
                    timestamp INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    dataset_name TEXT,
                    dataset_digest TEXT,
                    UNIQUE (model_id, key, timestamp, step, run_id)
                );
                CREATE TABLE run_model_outputs (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    model_id TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    PRIMARY KEY (run_id, model_id)
                );
                CREATE TABLE run_model_inputs (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    model_id TEXT NOT NULL,
                    PRIMARY KEY (run_id, model_id)
                );
                """)
        },
    ]
}

/// One named schema step. The registry registers its own (`registry.v1…`) with
/// ``SQLiteTrackingStore/migrate(_:)``.
///
/// ```swift
/// let step = StoreMigration(name: "registry.v1.initial") { db in try db.execute(sql: "CREATE TABLE …") }
/// ```
public struct StoreMigration: Sendable {
    public var name: String
    public var migrate: @Sendable (Database) throws -> Void
    public init(name: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.migrate = migrate
    }
}

/// What `mltrack doctor` reports about a store file's schema.
///
/// ```swift
/// let v = try store.schemaVersion()   // v.current == "tracking.v2.logged_models", v.isUpToDate
/// ```
public struct SchemaVersion: Sendable, Hashable, Codable {
    /// Every applied step, in application order.
    public var applied: [String]
    /// The last applied tracking step (nil for an empty file).
    public var current: String?
    /// The newest tracking step this binary knows.
    public var latestKnown: String
    public var isUpToDate: Bool { current == latestKnown }
}
