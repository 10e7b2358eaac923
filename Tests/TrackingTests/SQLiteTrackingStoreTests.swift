import Foundation
import GRDB
import Testing
@testable import Tracking

/// A fresh SQLite store in a temporary directory, with a ticking clock.
func makeSQLiteStore(_ label: String = "store") throws -> SQLiteTrackingStore {
    let dir = try TestPaths.tempDir("tracking-\(label)")
    let clock = TickingClock()
    return try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path, clock: { clock.now() })
}

@Suite struct SQLiteConformanceTests {
    @Test(arguments: TrackingStoreConformance.Check.allCases)
    func conformance(_ check: TrackingStoreConformance.Check) throws {
        try TrackingStoreConformance(makeStore: { try makeSQLiteStore(check.rawValue) }).run(check)
    }
}

@Suite struct SQLiteTrackingStoreTests {
    @Test func migratesAnEmptyFileAndReportsItsSchema() throws {
        let store = try makeSQLiteStore()
        let v = try store.schemaVersion()
        #expect(v.applied == ["tracking.v1.initial", "tracking.v2.logged_models"])
        #expect(v.current == "tracking.v2.logged_models")
        #expect(v.isUpToDate)
        #expect(TrackingSchema.migrationNames == ["tracking.v1.initial", "tracking.v2.logged_models"])
        let (mode, tables) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        }
        #expect(mode == "wal")
        #expect(tables == ["audit_log", "datasets", "experiment_tags", "experiments", "grdb_migrations", "latest_metrics",
                           "logged_model_metrics", "logged_model_params", "logged_model_tags", "logged_models",
                           "metrics", "params", "run_input_tags", "run_inputs", "run_model_inputs", "run_model_outputs", "run_tags", "runs"])
    }

    @Test func reopeningKeepsEverything() throws {
        let dir = try TestPaths.tempDir("tracking-reopen")
        let path = dir.appendingPathComponent("sub/dir/mltrack.db").path
        let runId: String
        do {
            let s = try SQLiteTrackingStore(path: path)
            let exp = try s.createExperiment(name: "kept")
            runId = try s.createRun(experimentId: exp, runName: "r").info.runId
            try s.logBatch(runId: runId, metrics: [Metric(key: "m", value: .infinity, timestamp: 1), Metric(key: "n", value: .nan, timestamp: 1)],
                           params: [Param(key: "p", value: "1")])
        }
        let s2 = try SQLiteTrackingStore(path: path)
        let run = try s2.getRun(id: runId)
        #expect(run.info.runName == "r")
        #expect(run.data.metric("m")?.value == .infinity)
        #expect(run.data.metric("n")?.value.isNaN == true)
        #expect(run.data.param("p") == "1")
        #expect(try s2.allExperiments().map(\.name).sorted() == ["Default", "kept"])
        #expect(try s2.schemaVersion().applied == ["tracking.v1.initial", "tracking.v2.logged_models"])
        // The Default experiment was created once, by the first open.
        #expect(try s2.audit(after: nil, limit: 100).filter { $0.entityId == "0" }.count == 1)
        #expect(s2.artifactRoot == "file://" + dir.appendingPathComponent("sub/dir/artifacts").path)
        #expect(try s2.getExperiment(id: "0").artifactLocation == s2.artifactRoot + "/0")
    }

    @Test func storesNaNExplicitlyAndInfinityAsReal() throws {
        let s = try makeSQLiteStore()
        let run = try s.createRun(experimentId: "0").info.runId
        try s.logBatch(runId: run, metrics: [Metric(key: "a", value: .nan, timestamp: 1), Metric(key: "b", value: -.infinity, timestamp: 1)])
        let rows = try s.read { db in
            try Row.fetchAll(db, sql: "SELECT key, value, is_nan, typeof(value) AS t FROM metrics ORDER BY key")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["is_nan"] as Int64 == 1 && rows[0]["t"] as String == "real")
        #expect(rows[1]["is_nan"] as Int64 == 0 && rows[1]["value"] as Double == -.infinity)
    }

    @Test func refusesAStoreWrittenByANewerSchema() throws {
        let dir = try TestPaths.tempDir("tracking-newer")
        let path = dir.appendingPathComponent("mltrack.db").path
        let s = try SQLiteTrackingStore(path: path)
        // Other layers' steps (registry) do not make the tracking schema "newer".
        try s.migrate([StoreMigration(name: "registry.v1.test") { db in try db.execute(sql: "CREATE TABLE registry_probe (x INTEGER)") }])
        #expect(try s.schemaVersion().applied == ["tracking.v1.initial", "tracking.v2.logged_models", "registry.v1.test"])
        _ = try SQLiteTrackingStore(path: path)
        try s.write(actor: nil) { tx in try tx.db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('tracking.v999.future')") }
        expectCode(.invalidState) { _ = try SQLiteTrackingStore(path: path) }
    }

    @Test func writeContextCommitsChangeAndAuditTogether() throws {
        let s = try makeSQLiteStore()
        try s.migrate([StoreMigration(name: "registry.v1.probe") { db in try db.execute(sql: "CREATE TABLE probe (v TEXT)") }])
        struct Boom: Error {}
        #expect(throws: TrackingError.self) {
            try s.write(actor: "eve") { tx in
                try tx.db.execute(sql: "INSERT INTO probe (v) VALUES ('x')")
                try tx.appendAudit(entityKind: "probe", entityId: "1", action: .promote)
                throw Boom()
            }
        }
        #expect(try s.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM probe") } == 0)
        #expect(try s.audit(after: nil, limit: 100).allSatisfy { $0.entityKind != "probe" })
        let event = try s.write(actor: "eve") { tx in
            try tx.db.execute(sql: "INSERT INTO probe (v) VALUES ('y')")
            return try tx.appendAudit(entityKind: "probe", entityId: "1", action: .promote, details: ["alias": "champion"])
        }
        #expect(try s.audit(after: event.id - 1, limit: 1) == [event])
        #expect(event.details == #"{"alias":"champion"}"#)
        #expect(event.actor == "eve")
    }

    @Test func trackingURIs() throws {
        #expect(try TrackingURI.parse("sqlite:///abs/path/mltrack.db") == .sqlite(path: "/abs/path/mltrack.db"))
        #expect(try TrackingURI.parse("sqlite:////abs/x.db") == .sqlite(path: "/abs/x.db"))
        #expect(try TrackingURI.parse("sqlite:relative.db") == .sqlite(path: "relative.db"))
        #expect(try TrackingURI.parse("runs/mltrack.db") == .sqlite(path: "runs/mltrack.db"))
        #expect(try TrackingURI.parse("/var/mltrack.db") == .sqlite(path: "/var/mltrack.db"))
        #expect(try TrackingURI.parse("http://localhost:5000") == .http("http://localhost:5000"))
        #expect(try TrackingURI.parse("https://mlflow.example") == .http("https://mlflow.example"))
        #expect(try TrackingURI.parse("postgresql://u@h/db") == .postgresql("postgresql://u@h/db"))
        expectCode(.invalidParameterValue) { _ = try TrackingURI.parse("") }
        expectCode(.invalidParameterValue) { _ = try TrackingURI.parse("sqlite://relative.db") }
        expectCode(.invalidParameterValue) { _ = try TrackingURI.parse("sqlite:") }
        expectCode(.invalidParameterValue) { _ = try TrackingURI.parse("s3://bucket/x") }
        #expect(try TrackingURI.resolve(environment: [:]) == .sqlite(path: "./mltrack/mltrack.db"))
        #expect(try TrackingURI.resolve(environment: ["MLTRACK_TRACKING_URI": "sqlite:///tmp/a.db"]) == .sqlite(path: "/tmp/a.db"))
        #expect(try TrackingURI.resolve(explicit: "b.db", environment: ["MLTRACK_TRACKING_URI": "sqlite:///tmp/a.db"]) == .sqlite(path: "b.db"))
        #expect(TrackingURI.sqlite(path: "/a/b.db").description == "sqlite:///a/b.db")
        // http(s) opens the REST store (no request is made until the first call).
        #expect((try TrackingURI.http("http://localhost:5000").openStore() as? RESTTrackingStore)?.uri == "http://localhost:5000")
        expectCode(.invalidParameterValue) { _ = try TrackingURI.postgresql("postgresql://h/db").openStore() }
        #expect(AuditActor.resolve("x", environment: ["USER": "u"]) == "x")
        #expect(AuditActor.resolve(nil, environment: ["USER": "u"]) == "u")
        #expect(AuditActor.resolve(nil, environment: [:]) == "unknown")
    }
}

/// Run search runs in SQL on the store's own indexes: no table is scanned but the runs of the
/// searched experiments.
@Suite struct SQLiteRunSearchPlanTests {
    @Test func searchUsesTheStoresKeysAndIndexes() throws {
        let store = try makeSQLiteStore("search-plan")
        let search = try RunSearch(filter: "metrics.auc > 0.5 AND params.lr = '0.1' AND tags.team LIKE 'g%' AND datasets.context = 'training'",
                                   orderBy: ["metrics.auc DESC", "params.lr", "tags.team"], maxResults: 10, pageToken: nil)
        let (sql, args) = SQLiteTrackingStore.searchStatement(search, experimentIds: [1, 2], stages: ["active"], offset: 0)
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: args).map { $0["detail"] as String }
        }
        #expect(plan.first == "SEARCH r USING INDEX runs_by_experiment (experiment_id=? AND lifecycle_stage=?)", "\(plan)")
        // Every metric, param, tag and dataset lookup is a search on a primary key; nothing is scanned.
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        #expect(plan.filter { $0.hasPrefix("SEARCH m USING INDEX sqlite_autoindex_latest_metrics_1 (run_id=? AND key=?)") }.count == 3)
        #expect(plan.filter { $0.hasPrefix("SEARCH kv USING INDEX sqlite_autoindex_params_1 (run_id=? AND key=?)") }.count == 3)
        #expect(plan.filter { $0.hasPrefix("SEARCH kv USING INDEX sqlite_autoindex_run_tags_1 (run_id=? AND key=?)") }.count == 3)
    }
}
