import Foundation
import GRDB
import Testing
@testable import Tracking
#if canImport(Glibc)
import Glibc
#endif

/// TestSupport's real `mlflow server`, resettable: starting one takes tens of seconds on a busy
/// machine, so one server serves every check, and ``reset()`` puts its database back to the state
/// it had when it came up (only the `Default` experiment), which is what "a fresh, empty store"
/// means for it.
final class MLflowServerPeer: Sendable {
    let server: MLflowServerProcess
    var url: String { server.url }
    private var db: String { server.dir.appendingPathComponent("db.sqlite").path }
    private var template: String { server.dir.appendingPathComponent("template.sqlite").path }

    init() throws {
        server = try MLflowServerProcess()
        do {
            try FileManager.default.copyItem(atPath: db, toPath: template)
        } catch {
            server.stop()
            throw error
        }
    }

    /// Every table back to its rows at start-up.
    func reset() throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        config.busyMode = .timeout(10)
        let q = try DatabaseQueue(path: db, configuration: config)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS t", arguments: [template])
            try db.inTransaction {
                let tables = try String.fetchAll(db, sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name != 'alembic_version'")
                for t in tables {
                    try db.execute(sql: "DELETE FROM main.\"\(t)\"")
                    // Only a few tables had rows at start-up (experiment 0); `SELECT *` would
                    // trip over generated columns of others.
                    if try Int.fetchOne(db, sql: "SELECT count(*) FROM t.\"\(t)\"") ?? 0 > 0 {
                        try db.execute(sql: "INSERT INTO main.\"\(t)\" SELECT * FROM t.\"\(t)\"")
                    }
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE t")
        }
    }

    func stop() { server.stop() }
}

/// The store conformance suite run through ``RESTTrackingStore`` against a real `mlflow server`
/// (skipped when the venv of `$MLTRACK_PYTHON` has no `mlflow`). Differences of MLflow's server
/// are the suite's ``TrackingStoreConformance/Capabilities/mlflowServer``.
@Suite(.serialized) struct RESTConformanceTests {
    @Test(.enabled(if: MLflowServerProcess.available, "no mlflow next to $MLTRACK_PYTHON: the REST store is not checked against a real mlflow server"))
    func conformanceAgainstRealMLflowServer() throws {
        let server = try MLflowServerPeer()
        defer { server.stop() }
        let store = try RESTTrackingStore(uri: server.url)
        for check in TrackingStoreConformance.Check.allCases {
            try server.reset()
            let suite = TrackingStoreConformance(makeStore: { store }, capabilities: .mlflowServer)
            do {
                try suite.run(check)
            } catch {
                Issue.record("check \(check.rawValue): \(error)")
            }
        }
    }
}
