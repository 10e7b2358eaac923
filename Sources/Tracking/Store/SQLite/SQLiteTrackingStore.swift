import Foundation
import GRDB

/// The embedded tracking store: one SQLite file through a GRDB `DatabasePool` in WAL mode. Reads run
/// concurrently on snapshots; every write is one `BEGIN IMMEDIATE` transaction, waits up to
/// `busyTimeout` for another process's lock and is retried on `SQLITE_BUSY`, so several processes
/// can share one file. The schema is a list of named migrations (``TrackingSchema``), applied on open.
///
/// ```swift
/// let store = try SQLiteTrackingStore(path: "mltrack/mltrack.db")
/// let exp = try store.createExperiment(name: "churn")
/// print(try store.schemaVersion().current ?? "empty")
/// ```
public final class SQLiteTrackingStore: TrackingStore, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable except `rng`, guarded by `rngLock`.
    public let path: String
    /// Root of default artifact locations: `<root>/<experiment_id>` for new experiments.
    public let artifactRoot: String
    let pool: DatabasePool
    let clock: @Sendable () -> Int64
    let defaultActor: String?
    let maxBusyRetries: Int
    private let rngLock = NSLock()
    private var rng = SystemRandomNumberGenerator()

    /// Opens (creating if needed) the store at `path`, applies pending migrations and makes sure the
    /// `Default` experiment exists.
    /// - Parameters:
    ///   - artifactRoot: default `file://<directory of path>/artifacts`.
    ///   - actor: the audit actor when a call names none (nil: `$USER`).
    ///   - busyTimeout: how long one statement waits for another connection's lock.
    ///   - clock: milliseconds since the epoch (tests inject a fixed clock).
    public init(path: String, artifactRoot: String? = nil, actor: String? = nil, busyTimeout: TimeInterval = 30,
                maxBusyRetries: Int = 20,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        let dir = url.deletingLastPathComponent()
        self.artifactRoot = artifactRoot ?? "file://" + dir.appendingPathComponent("artifacts").path
        self.clock = clock
        self.defaultActor = actor
        self.maxBusyRetries = maxBusyRetries
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw TrackingError(.internalError, "cannot create the store directory \(dir.path): \(error.localizedDescription)")
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "mltrack.tracking"
        config.prepareDatabase { db in db.add(function: RunSearchSQL.likeFunction) }
        do {
            pool = try Self.retryingBusy(maxBusyRetries) { try DatabasePool(path: url.path, configuration: config) }
        } catch {
            throw Self.storeError(error, context: "cannot open the tracking store \(url.path)")
        }
        try migrate([])
        try ensureDefaultExperiment()
    }

    /// Opens the SQLite store a ``TrackingURI`` names.
    public convenience init(uri: TrackingURI, actor: String? = nil) throws {
        guard case let .sqlite(path) = uri else {
            _ = try uri.openStore()   // throws the "not supported yet" error
            throw TrackingError(.invalidParameterValue, "tracking URI \(uri) is not a SQLite store")
        }
        try self.init(path: path, actor: actor)
    }

    // MARK: Schema

    /// Applies the tracking steps plus `additional` ones (the registry's), each once. Safe when
    /// several processes open a new file at the same moment: a step another process applied first
    /// is skipped on retry. A file whose tracking schema is newer than this binary is refused.
    public func migrate(_ additional: [StoreMigration]) throws {
        var migrator = DatabaseMigrator()
        for step in TrackingSchema.steps + additional {
            migrator.registerMigration(step.name, migrate: step.migrate)
        }
        let known = Set((TrackingSchema.steps + additional).map(\.name))
        var lastError: Error?
        for _ in 0 ..< 8 {
            do {
                let applied = try pool.read { db -> Set<String> in
                    try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
                }
                let newer = applied.filter { $0.hasPrefix(TrackingSchema.prefix) && !known.contains($0) }
                if !newer.isEmpty {
                    throw TrackingError(.invalidState, "the tracking store \(path) has schema steps this mltrack does not know (\(newer.sorted().joined(separator: ", "))): it was written by a newer mltrack")
                }
                if applied.isSuperset(of: known) { return }
                try migrator.migrate(pool)
                return
            } catch let e as TrackingError {
                throw e
            } catch {
                lastError = error
                usleep(UInt32.random(in: 2000 ... 20000))
            }
        }
        throw Self.storeError(lastError ?? TrackingError(.internalError, "migration failed"), context: "cannot migrate the tracking store \(path)")
    }

    /// The applied schema steps and whether this binary's tracking schema is fully applied.
    public func schemaVersion() throws -> SchemaVersion {
        let applied = try read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        let known = TrackingSchema.migrationNames
        let current = known.last { applied.contains($0) }
        return SchemaVersion(applied: applied, current: current, latestKnown: known.last ?? "")
    }

    private func ensureDefaultExperiment() throws {
        let now = clock()
        try write(actor: nil) { tx in
            let exists = try Bool.fetchOne(tx.db, sql: "SELECT EXISTS(SELECT 1 FROM experiments WHERE experiment_id = 0)") ?? false
            if !exists {
                let location = "\(self.artifactRoot)/0"
                try tx.db.execute(sql: """
                    INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (0, ?, ?, 'active', ?, ?)
                    """, arguments: [Experiment.defaultName, location, now, now])
                try tx.appendAudit(entityKind: .experiment, entityId: Experiment.defaultId, action: .create,
                                   details: ["name": Experiment.defaultName])
            }
        }
    }

    // MARK: Transactions

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (retried on `SQLITE_BUSY`); other layers
    /// sharing the file (the registry) use it to write their tables and append audit events
    /// atomically with them.
    public func write<T>(actor: String?, _ body: (StoreWriteContext) throws -> T) throws -> T {
        let who = AuditActor.resolve(actor ?? defaultActor)
        do {
            return try Self.retryingBusy(maxBusyRetries) {
                try pool.writeWithoutTransaction { db in
                    var out: T?
                    try db.inTransaction(.immediate) {
                        out = try body(StoreWriteContext(db: db, actor: who, now: clock()))
                        return .commit
                    }
                    guard let out else { throw TrackingError(.internalError, "transaction produced no result") }
                    return out
                }
            }
        } catch {
            throw Self.storeError(error, context: "write to \(path) failed")
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try Self.retryingBusy(maxBusyRetries) { try pool.read(body) }
        } catch {
            throw Self.storeError(error, context: "read from \(path) failed")
        }
    }

    static func retryingBusy<T>(_ maxRetries: Int, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let e as DatabaseError where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED) && attempt < maxRetries {
                attempt += 1
                usleep(UInt32(min(100_000, 1000 << min(attempt, 7))) + UInt32.random(in: 0 ... 5000))
            }
        }
    }

    static func storeError(_ error: Error, context: String) -> TrackingError {
        if let e = error as? TrackingError { return e }
        if let e = error as? DatabaseError {
            return TrackingError(.internalError, "\(context): SQLite error \(e.extendedResultCode.rawValue): \(e.message ?? "\(e)")")
        }
        return TrackingError(.internalError, "\(context): \(error)")
    }

    func randomRunName() -> String {
        rngLock.lock()
        defer { rngLock.unlock() }
        return RunNameGenerator.make(using: &rng)
    }

    static func newRunId() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    static func parseExperimentId(_ id: String) throws -> Int64 {
        guard let n = Int64(id), n >= 0 else {
            throw TrackingError(.invalidParameterValue, "Invalid experiment ID '\(id)'. Experiment ID must be a valid integer.")
        }
        return n
    }
}
