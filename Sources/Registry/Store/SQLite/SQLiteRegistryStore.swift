import Foundation
import GRDB
import Tracking

/// The model registry stored in the tracking store's SQLite file (``RegistrySchema``'s tables next
/// to the tracking tables). Every mutation is one `BEGIN IMMEDIATE` transaction of the wrapped
/// `SQLiteTrackingStore` that also appends its audit event, so several processes can share the file:
/// version numbers are allocated under the write lock (never duplicated, never reused), and
/// `commitPromotion` checks the alias's holder, moves it, records the decision and audits it at once.
///
/// Audit events: entity kind `registered_model` (id: the name) or `model_version` (id:
/// `<name>/<version>`); the actor is the store's (``acting(as:)``), else the tracking store's
/// default, else `$USER`; a promotion is audited under the decision's actor. `runs:/` URIs resolve
/// through a ``RunArtifactLocator``, by default ``TrackingStoreArtifactLocator`` over the same store.
///
/// ```swift
/// let tracking = try SQLiteTrackingStore(path: "mltrack/mltrack.db")
/// let registry = try SQLiteRegistryStore(tracking: tracking, actor: "ci")
/// _ = try await registry.createRegisteredModel(name: "churn")
/// let v = try await registry.createModelVersion(name: "churn", source: "\(run.info.artifactUri)/model", runId: run.info.runId)
/// ```
public struct SQLiteRegistryStore: RegistryStore {
    /// The tracking store whose file and transactions the registry shares.
    public let tracking: SQLiteTrackingStore
    /// The audit actor of this store's mutations (nil: the tracking store's default).
    public let actor: String?
    let runs: (any RunArtifactLocator)?

    /// Wraps `tracking` and applies the registry's pending migrations to its file.
    /// - Parameters:
    ///   - actor: the audit actor (nil: the tracking store's default, else `$USER`).
    ///   - runs: how `runs:/` URIs find a run's artifact root (nil: the tracking store itself).
    public init(tracking: SQLiteTrackingStore, actor: String? = nil, runs: (any RunArtifactLocator)? = nil) throws {
        self.tracking = tracking
        self.actor = actor
        self.runs = runs ?? TrackingStoreArtifactLocator(store: tracking)
        try Self.migrate(tracking)
    }

    /// Opens (creating if needed) the store file at `path` with both schemas.
    public init(path: String, actor: String? = nil) throws {
        let tracking: SQLiteTrackingStore
        do {
            tracking = try SQLiteTrackingStore(path: path, actor: actor)
        } catch {
            throw Self.registryError(error)
        }
        try self.init(tracking: tracking, actor: actor)
    }

    /// The same store, recording `actor` in the audit log (a server makes one per request).
    public func acting(as actor: String?) -> SQLiteRegistryStore {
        SQLiteRegistryStore(tracking: tracking, actor: actor, resolvedRuns: runs)
    }

    private init(tracking: SQLiteTrackingStore, actor: String?, resolvedRuns: (any RunArtifactLocator)?) {
        self.tracking = tracking
        self.actor = actor
        self.runs = resolvedRuns
    }

    /// Applies the registry steps; a file with a `registry.*` step this binary does not know is
    /// `INVALID_STATE` (written by a newer mltrack).
    static func migrate(_ tracking: SQLiteTrackingStore) throws {
        let known = Set(RegistrySchema.migrationNames)
        let applied = try read(tracking) { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations WHERE identifier LIKE 'registry.%'")
        }
        let newer = applied.filter { !known.contains($0) }
        guard newer.isEmpty else {
            throw RegistryError(.invalidState, "the store \(tracking.path) has registry schema steps this mltrack does not know (\(newer.sorted().joined(separator: ", "))): it was written by a newer mltrack")
        }
        do {
            try tracking.migrate(RegistrySchema.steps)
        } catch {
            throw registryError(error)
        }
    }

    // MARK: Transactions

    /// Runs `body` in one write transaction of the tracking store; a ``RegistryError`` thrown inside
    /// rolls it back and comes out as is, anything else becomes a ``RegistryError`` with its code.
    func write<T>(actor explicit: String? = nil, _ body: (StoreWriteContext) throws -> T) throws -> T {
        var failure: RegistryError?
        do {
            return try tracking.write(actor: explicit ?? actor) { tx in
                do {
                    return try body(tx)
                } catch let e as RegistryError {
                    failure = e
                    throw e
                }
            }
        } catch {
            if let failure { throw failure }
            throw Self.registryError(error)
        }
    }

    /// Runs `body` on a consistent snapshot, with the errors of ``write(actor:_:)``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.read(tracking, body)
    }

    static func read<T>(_ tracking: SQLiteTrackingStore, _ body: (Database) throws -> T) throws -> T {
        var failure: RegistryError?
        do {
            return try tracking.read { db in
                do {
                    return try body(db)
                } catch let e as RegistryError {
                    failure = e
                    throw e
                }
            }
        } catch {
            if let failure { throw failure }
            throw registryError(error)
        }
    }

    static func registryError(_ error: Error) -> RegistryError {
        switch error {
        case let e as RegistryError: e
        case let e as TrackingError: RegistryError(e.code, e.message)
        default: RegistryError(.internalError, "registry store: \(error)")
        }
    }

    // MARK: Existence

    static func notFound(model name: String) -> RegistryError {
        RegistryError(.resourceDoesNotExist, "Registered Model with name=\(name) not found")
    }

    static func notFound(model name: String, version: Int) -> RegistryError {
        RegistryError(.resourceDoesNotExist, "Model Version (name=\(name), version=\(version)) not found")
    }

    static func requireModel(_ db: Database, _ name: String) throws {
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM registered_models WHERE name = ?)", arguments: [name]) ?? false
        guard exists else { throw notFound(model: name) }
    }

    static func requireVersion(_ db: Database, _ name: String, _ version: Int) throws {
        try requireModel(db, name)
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM model_versions WHERE name = ? AND version = ?)",
                                       arguments: [name, version]) ?? false
        guard exists else { throw notFound(model: name, version: version) }
    }

    /// Moves the model's last-updated time.
    static func touch(_ db: Database, _ name: String, _ now: Int64) throws {
        try db.execute(sql: "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", arguments: [now, name])
    }

    static func versionEntityId(_ name: String, _ version: Int) -> String { "\(name)/\(version)" }
}
