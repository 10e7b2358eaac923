import Foundation
import GRDB
import Testing
@testable import Tracking

@Suite(.serialized) struct SQLiteConcurrencyTests {
    /// 32 threads × 10,000 points through one store, in batches of 1,000, eight writers per run.
    @Test func thirtyTwoWritersLoseAndDuplicateNothing() throws {
        let store = try makeSQLiteStore("concurrency")
        let exp = try store.createExperiment(name: "load")
        let runs = try (0 ..< 4).map { try store.createRun(experimentId: exp, runName: "run\($0)").info.runId }
        let writers = 32, points = 10_000, chunk = 1000
        let errors = onThreads(writers) { w in
            let run = runs[w % 4]
            try store.logParam(runId: run, param: Param(key: "writer\(w)", value: "\(w)"))
            for start in stride(from: 0, to: points, by: chunk) {
                let batch = (start ..< start + chunk).map { j in
                    Metric(key: "m", value: Double(w * points + j), timestamp: Int64(j), step: Int64(w * points + j))
                }
                try store.logBatch(runId: run, metrics: batch)
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        for (r, run) in runs.enumerated() {
            let history = try store.getMetricHistory(runId: run, key: "m")
            let expected = (0 ..< writers).filter { $0 % 4 == r }.flatMap { w in (0 ..< points).map { Int64(w * points + $0) } }
            #expect(history.count == expected.count)
            let sameSteps = history.map(\.step) == expected.sorted()   // none lost, none twice
            #expect(sameSteps)
            let valuesMatch = history.allSatisfy { $0.value == Double($0.step) }
            #expect(valuesMatch)
            let data = try store.getRun(id: run).data
            #expect(data.metric("m")?.step == expected.max())
            #expect(data.params.count == writers / 4)
        }
        let total = try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM metrics") }
        #expect(total == writers * points)
        #expect(try store.audit(after: nil, limit: 10_000).filter { $0.action == .logBatch }.count == writers * points / chunk)
    }

    /// Four stores opened separately (and concurrently, racing on the migrations of a new file) on
    /// one file, four writer threads each: separate SQLite connections contend for the file's write
    /// lock exactly as separate processes do.
    @Test func separatelyOpenedStoresShareOneFile() throws {
        let path = try TestPaths.tempDir("tracking-shared").appendingPathComponent("mltrack.db").path
        final class Stores: @unchecked Sendable {
            let lock = NSLock()
            var byIndex: [Int: SQLiteTrackingStore] = [:]
        }
        let opened = Stores()
        let openErrors = onThreads(4) { i in
            let s = try SQLiteTrackingStore(path: path, actor: "proc\(i)")
            opened.lock.lock()
            opened.byIndex[i] = s
            opened.lock.unlock()
        }
        #expect(openErrors.isEmpty, "\(openErrors)")
        let stores = (0 ..< 4).compactMap { opened.byIndex[$0] }
        try #require(stores.count == 4)
        #expect(try stores[0].allExperiments().map(\.name) == ["Default"])
        #expect(try stores[0].audit(after: nil, limit: 100).filter { $0.entityId == "0" }.count == 1)
        let run = try stores[0].createRun(experimentId: "0", runName: "shared").info.runId
        let errors = onThreads(16) { w in
            let s = stores[w % 4]
            for b in 0 ..< 5 {
                let batch = (0 ..< 500).map { j in Metric(key: "m", value: 1, timestamp: Int64(b), step: Int64(w * 10_000 + b * 500 + j)) }
                try s.logBatch(runId: run, metrics: batch)
            }
            for j in 0 ..< 20 {
                try s.logMetric(runId: run, metric: Metric(key: "single", value: Double(j), timestamp: 0, step: Int64(w * 100 + j)))
            }
            try s.setTag(runId: run, tag: RunTag(key: "w\(w)", value: "done"))
            _ = try s.createExperiment(name: "exp-\(w)")
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        let fresh = try SQLiteTrackingStore(path: path)
        #expect(try fresh.getMetricHistory(runId: run, key: "m").count == 16 * 2500)
        #expect(Set(try fresh.getMetricHistory(runId: run, key: "single").map(\.step)).count == 16 * 20)
        #expect(try fresh.getRun(id: run).data.tags.filter { $0.key.hasPrefix("w") }.count == 16)
        let exps = try fresh.allExperiments()
        #expect(exps.count == 17)
        #expect(Set(exps.map(\.experimentId)).count == 17)
        #expect(Set(try fresh.audit(after: nil, limit: 10_000).map(\.actor)) == ["proc0", "proc1", "proc2", "proc3"])
    }

    /// A second process (Python's sqlite3) repeatedly holds the write lock of the file for 40 ms
    /// while this process writes: every write waits its turn and lands.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON"))
    func anotherProcessHoldingTheLock() throws {
        let store = try makeSQLiteStore("process")
        let run = try store.createRun(experimentId: "0").info.runId
        let script = """
            import sqlite3, sys, time
            con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            for i in range(25):
                con.execute("BEGIN IMMEDIATE")
                con.execute("INSERT INTO audit_log (timestamp, actor, entity_kind, entity_id, action, details) VALUES (?, 'python', 'probe', ?, 'create', '{}')", (i, str(i)))
                time.sleep(0.04)
                con.execute("COMMIT")
                time.sleep(0.005)
            print("ok")
            """
        let path = store.path
        final class Box: @unchecked Sendable { var out = ""; var err: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { box.out = try PythonPeer.run(script, args: [path]) } catch { box.err = error }
            done.signal()
        }.start()
        let errors = onThreads(4) { w in
            for b in 0 ..< 20 {
                try store.logBatch(runId: run, metrics: (0 ..< 100).map { Metric(key: "m", value: 0, timestamp: 0, step: Int64(w * 10_000 + b * 100 + $0)) })
            }
        }
        done.wait()
        #expect(box.err == nil, "\(String(describing: box.err))")
        #expect(box.out.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(try store.getMetricHistory(runId: run, key: "m").count == 4 * 20 * 100)
        #expect(try store.audit(after: nil, limit: 10_000).filter { $0.actor == "python" }.count == 25)
    }

    /// A process killed (SIGKILL) in the middle of a write transaction leaves nothing visible and
    /// no lock behind: the store reopens, lists, and takes writes.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON"))
    func processKilledMidTransaction() throws {
        let store = try makeSQLiteStore("killed")
        let run = try store.createRun(experimentId: "0", runName: "survivor").info.runId
        try store.logMetric(runId: run, metric: Metric(key: "m", value: 1, timestamp: 1))
        let script = """
            import os, signal, sqlite3, sys
            con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            for i in range(1000):
                con.execute("INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, 'm', 2, 0, 2, ?)", (sys.argv[2], i + 10))
            con.execute("UPDATE runs SET run_name = 'half-written' WHERE run_id = ?", (sys.argv[2],))
            os.kill(os.getpid(), signal.SIGKILL)
            """
        #expect(throws: (any Error).self) { try PythonPeer.run(script, args: [store.path, run]) }
        let reopened = try SQLiteTrackingStore(path: store.path)
        #expect(try reopened.getRun(id: run).info.runName == "survivor")
        #expect(try reopened.getMetricHistory(runId: run, key: "m").count == 1)
        #expect(try reopened.searchRuns(experimentIds: ["0"]).items.count == 1)
        try reopened.logMetric(runId: run, metric: Metric(key: "m", value: 3, timestamp: 3, step: 1))
        try store.logMetric(runId: run, metric: Metric(key: "m", value: 4, timestamp: 4, step: 2))
        #expect(try store.getMetricHistory(runId: run, key: "m").map(\.value) == [1, 3, 4])
    }
}
