import Foundation
import Registry
import Testing
import Tracking

/// Collects values from several threads.
private final class Collected<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Several stores opened separately on one file contend for its write lock as separate processes do.
@Suite struct SQLiteRegistryConcurrencyTests {
    /// Four stores opened at once on a new file (racing the tracking and registry migrations), four
    /// threads each creating 25 versions: exactly 1…100, each audited once under its store's actor.
    @Test func separatelyOpenedStoresAllocateVersionsExactly() async throws {
        let path = try TestPaths.tempDir("registry-shared").appendingPathComponent("mltrack.db").path
        let opened = Collected<(Int, SQLiteRegistryStore)>()
        let openErrors = onThreads(4) { i in opened.add((i, try SQLiteRegistryStore(path: path, actor: "proc\(i)"))) }
        #expect(openErrors.isEmpty, "\(openErrors)")
        let stores = opened.all.sorted { $0.0 < $1.0 }.map(\.1)
        try #require(stores.count == 4)
        _ = try stores[0].createRegisteredModel(name: "busy", description: "", tags: [:])
        let versions = Collected<Int>()
        let errors = onThreads(4) { i in
            for j in 0 ..< 25 {
                let v = try stores[i].createModelVersion(name: "busy", source: "file:///busy/\(i)/\(j)", runId: nil,
                                                         description: "", tags: [:])
                versions.add(v.version)
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(versions.all.sorted() == Array(1...100))
        let fresh = try SQLiteRegistryStore(path: path)
        let stored = try await fresh.modelVersions(name: "busy")
        #expect(stored.map(\.version) == Array((1...100).reversed()))
        #expect(Set(stored.map(\.source)).count == 100)
        let created = try fresh.tracking.audit(after: nil, limit: 10_000).filter { $0.entityKind == .modelVersion && $0.action == .create }
        #expect(created.count == 100 && Set(created.map(\.entityId)).count == 100)
        #expect(Set(created.map(\.actor)) == ["proc0", "proc1", "proc2", "proc3"])
        #expect(try fresh.tracking.schemaVersion().applied == ["tracking.v1.initial", "registry.v1.initial", "registry.v2.version-lineage"])
    }

    /// Eight promotions of different versions to an unheld alias, each evaluated against "nobody",
    /// race from four stores: exactly one moves the alias, the others are INVALID_STATE and leave no
    /// decision and no audit event.
    @Test func racingPromotionsMoveTheAliasOnce() async throws {
        let first = try makeSQLiteRegistry(label: "registry-race")
        _ = try first.createRegisteredModel(name: "m", description: "", tags: [:])
        for i in 1...8 { _ = try first.createModelVersion(name: "m", source: "file:///\(i)", runId: nil, description: "", tags: [:]) }
        let stores = try (0 ..< 4).map { _ in try SQLiteRegistryStore(path: first.tracking.path) }
        let pass = GateResult(name: "auc >= 0.5", kind: .threshold, metric: "auc", candidate: 0.7, min: 0.5, verdict: .pass, reason: "ok")
        let winners = Collected<Int>(), losers = Collected<TrackingError.Code>()
        let errors = onThreads(8) { i in
            let d = PromotionDecision(model: "m", version: i + 1, alias: "champion", previousHolder: nil, gates: [pass],
                                      forced: false, actor: "p\(i)", timestamp: Int64(i), policySource: nil)
            do {
                try stores[i % 4].commitPromotion(d)
                winners.add(i + 1)
            } catch let e as RegistryError {
                losers.add(e.code)
            }
        }
        #expect(errors.isEmpty, "\(errors)")
        try #require(winners.all.count == 1)
        let winner = winners.all[0]
        #expect(losers.all == Array(repeating: .invalidState, count: 7))
        #expect(try first.registeredModel(name: "m").aliases == ["champion": winner])
        #expect(try first.promotionDecisions(name: "m").map(\.version) == [winner])
        let promotes = try first.tracking.audit(after: nil, limit: 1000).filter { $0.action == .promote }
        #expect(promotes.map(\.actor) == ["p\(winner - 1)"])
    }

    /// A second process (Python's sqlite3) takes the file's write lock 25 times for 40 ms while four
    /// threads create versions: every creation waits its turn, numbers stay exactly 1…100.
    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON"))
    func anotherProcessHoldingTheWriteLock() async throws {
        let store = try makeSQLiteRegistry(label: "registry-process")
        _ = try store.createRegisteredModel(name: "busy", description: "", tags: [:])
        let ready = URL(fileURLWithPath: store.tracking.path + ".python-ready").path
        let versions = Collected<Int>()
        let errors = onThreads(5) { i in
            if i == 4 {
                try PythonPeer.run("""
                    import sqlite3, sys, time
                    c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
                    for k in range(25):
                        c.execute("BEGIN IMMEDIATE")
                        if k == 0:
                            open(sys.argv[2], "w").close()
                        time.sleep(0.04)
                        c.execute("COMMIT")
                        time.sleep(0.005)
                    """, args: [store.tracking.path, ready])
                return
            }
            var waited = 0
            while !FileManager.default.fileExists(atPath: ready) && waited < 2000 { usleep(5000); waited += 1 }
            for j in 0 ..< 25 {
                let v = try store.createModelVersion(name: "busy", source: "file:///busy/\(i)/\(j)", runId: nil,
                                                     description: "", tags: [:])
                versions.add(v.version)
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(FileManager.default.fileExists(atPath: ready))
        #expect(versions.all.sorted() == Array(1...100))
        #expect(try store.registeredModel(name: "busy").latestVersions.map(\.version) == [100])
    }
}
