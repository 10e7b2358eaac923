import Foundation
import Hummingbird
import Logging
import Testing
import Tracking
import TrackingServer

/// The real mlflow 3.17 client's logged-model calls (Peers/logged_models_e2e.py) against our server
/// on a real socket, and the same script — including `mlflow.sklearn.log_model` inside
/// `mlflow.start_run()` — against a real `mlflow server` to prove it right. Against ours the script
/// runs its `api` mode, its `full` mode (log_model, whose files go through our artifact proxy) and
/// its `local` mode (the model files in a `file://` experiment location the client writes itself).
@Suite(.serialized) struct LoggedModelPeerTests {
    static let apiChecks = 30
    static let fullChecks = 39

    /// True when MLTRACK_PYTHON imports mlflow and scikit-learn.
    static let available: Bool = {
        guard PythonPeer.available else { return false }
        return (try? PythonPeer.run("import mlflow, sklearn; print('yes')"))?.contains("yes") == true
    }()

    static var script: String {
        get throws {
            try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TrackingServerTests/Peers/logged_models_e2e.py"), encoding: .utf8)
        }
    }

    static func summary(_ output: String) throws -> [String: Any] {
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(output)")
    }

    final class PortBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int?
        func set(_ v: Int) { lock.withLock { value = v } }
        func get() -> Int? { lock.withLock { value } }
    }

    /// Runs `body` (off the cooperative pool: it blocks on Python) with the base URL of our server,
    /// in-process on a real socket over a fresh store; returns its result and the store. Checks go
    /// after it returns, in the test's own task.
    static func withServer<T: Sendable>(_ body: @escaping @Sendable (String) throws -> T) async throws -> (T, SQLiteTrackingStore) {
        let dir = try TestPaths.tempDir("tsrv-lm")
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                            artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
        let config = TrackingServerConfiguration(host: "127.0.0.1", port: 0,
                                                 artifactsDestination: dir.appendingPathComponent("artifacts").path, logRequests: false)
        var quiet = Logger(label: "mltrack.server.test")
        quiet.logLevel = .critical   // cancelling the service below logs channel errors
        let server = TrackingServer(store: store, configuration: config, logger: quiet)
        let box = PortBox()
        let app = server.makeApplication(onListening: { box.set($0) })
        let result = try await withThrowingTaskGroup(of: Void.self) { group -> T in
            group.addTask { try await app.runService() }
            for _ in 0 ..< 400 where box.get() == nil { try await Task.sleep(for: .milliseconds(25)) }
            let port = try #require(box.get(), "the server did not start")
            let base = "http://127.0.0.1:\(port)"
            let result = try await Task.detached { try body(base) }.value
            group.cancelAll()
            return result
        }
        return (result, store)
    }

    /// What the client left in the store: the finalized model with its params.
    static func expectModelStored(_ store: SQLiteTrackingStore) throws {
        let exp = try #require(try store.allExperiments().first { $0.name.hasPrefix("lm-e2e-") })
        let models = try store.searchLoggedModels(try LoggedModelQuery(experimentIds: [exp.experimentId]))
        #expect(models.items.contains { $0.name == "model" && $0.status == .ready && $0.params.count == 2 })
    }

    /// Both modes against ours: `api` (the logged-model calls alone) and `full` (log_model with
    /// its files through our artifact proxy, then loading `models:/m-<id>` back).
    @Test(.enabled(if: LoggedModelPeerTests.available, "needs MLTRACK_PYTHON with mlflow and scikit-learn"),
          arguments: ["api", "full"])
    func realClientAgainstMltrackServer(mode: String) async throws {
        let script = try Self.script
        let (output, store) = try await Self.withServer { base in try PythonPeer.run(script, args: [base, mode]) }
        let summary = try Self.summary(output)
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["mode"] as? String == mode)
        #expect(summary["checks"] as? Int == (mode == "full" ? Self.fullChecks : Self.apiChecks), "\(summary)")
        try Self.expectModelStored(store)
    }

    /// `mlflow.sklearn.log_model` inside `mlflow.start_run()`, the whole call sequence of reference
    /// 1.5, with the experiment's artifacts in a local directory the client writes itself.
    @Test(.enabled(if: LoggedModelPeerTests.available, "needs MLTRACK_PYTHON with mlflow and scikit-learn"))
    func sklearnLogModelAgainstMltrackServer() async throws {
        let script = try Self.script
        let (output, store) = try await Self.withServer { base in try PythonPeer.run(script, args: [base, "local"]) }
        let summary = try Self.summary(output)
        #expect(summary["ok"] as? Bool == true && summary["mode"] as? String == "local")
        #expect(summary["checks"] as? Int == Self.fullChecks, "\(summary)")
        try Self.expectModelStored(store)
        let exp = try #require(try store.allExperiments().first { $0.name.hasPrefix("lm-e2e-") })
        let sk = try #require(try store.searchLoggedModels(try LoggedModelQuery(experimentIds: [exp.experimentId], filter: "name = 'skmodel'")).items.first)
        #expect(sk.status == .ready && sk.artifactUri.hasPrefix("file://") && sk.artifactUri.hasSuffix("/models/\(sk.modelId)/artifacts"))
        let run = try store.getRun(id: sk.sourceRunId)
        #expect(run.outputs.modelOutputs == [LoggedModelOutput(modelId: sk.modelId, step: 0)])
        #expect(sk.metrics.map(\.metric.key) == ["score"])
    }

    @Test(.enabled(if: LoggedModelPeerTests.available, "needs MLTRACK_PYTHON with mlflow and scikit-learn"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let server = try await MLflowServerProcess.start()
        defer { server.stop() }
        for mode in ["full", "local"] {
            let summary = try Self.summary(try PythonPeer.run(try Self.script, args: [server.url, mode]))
            #expect(summary["ok"] as? Bool == true && summary["mode"] as? String == mode)
            #expect(summary["checks"] as? Int == Self.fullChecks, "\(mode): \(summary)")
        }
    }
}
