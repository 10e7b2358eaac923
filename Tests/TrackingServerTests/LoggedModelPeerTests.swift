import Foundation
import Hummingbird
import Logging
import Testing
import Tracking
import TrackingServer

/// The real mlflow 3.17 client's logged-model calls (Peers/logged_models_e2e.py) against our server
/// on a real socket, and the same script — including `mlflow.sklearn.log_model` inside
/// `mlflow.start_run()` — against a real `mlflow server` to prove it right. Against ours the script
/// runs its `full` mode (log_model, whose files go through the artifact proxy) as soon as the
/// server answers the proxy's listing route, its `api` mode until then.
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

    @Test(.enabled(if: LoggedModelPeerTests.available, "needs MLTRACK_PYTHON with mlflow and scikit-learn"))
    func realClientAgainstMltrackServer() async throws {
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
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            for _ in 0 ..< 400 where box.get() == nil { try await Task.sleep(for: .milliseconds(25)) }
            let port = try #require(box.get(), "the server did not start")
            let base = "http://127.0.0.1:\(port)"
            let script = try Self.script
            let (mode, output) = try await Task.detached {
                // The artifact proxy answers a root listing with 200; without it the route is unknown.
                let probe = try PythonPeer.run("""
                    import urllib.request, sys
                    try:
                        print(urllib.request.urlopen(sys.argv[1] + "/api/2.0/mlflow-artifacts/artifacts", timeout=10).status)
                    except Exception as e:
                        print(getattr(e, "code", 0))
                    """, args: [base])
                let mode = probe.trimmingCharacters(in: .whitespacesAndNewlines) == "200" ? "full" : "api"
                return (mode, try PythonPeer.run(script, args: [base, mode]))
            }.value
            let summary = try Self.summary(output)
            #expect(summary["ok"] as? Bool == true)
            #expect(summary["mode"] as? String == mode)
            #expect(summary["checks"] as? Int == (mode == "full" ? Self.fullChecks : Self.apiChecks), "\(summary)")
            group.cancelAll()
        }
        // What the client left in the store.
        let exp = try #require(try store.allExperiments().first { $0.name.hasPrefix("lm-e2e-") })
        let models = try store.searchLoggedModels(try LoggedModelQuery(experimentIds: [exp.experimentId]))
        #expect(models.items.contains { $0.name == "model" && $0.status == .ready && $0.params.count == 2 })
    }

    @Test(.enabled(if: LoggedModelPeerTests.available, "needs MLTRACK_PYTHON with mlflow and scikit-learn"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let python = try #require(PythonPeer.python)
        let dir = try TestPaths.tempDir("tsrv-lm-mlflow")
        let port = try #require(Int(try PythonPeer.run(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])").trimmingCharacters(in: .whitespacesAndNewlines)))
        let log = dir.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-m", "mlflow", "server", "--host", "127.0.0.1", "--port", String(port),
                       "--backend-store-uri", "sqlite:///" + dir.appendingPathComponent("db.sqlite").path,
                       "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--workers", "1"]
        var env = ProcessInfo.processInfo.environment
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        let group = p.processIdentifier
        defer { kill(-group, SIGKILL) }
        let up = (try? PythonPeer.run("""
            import time, urllib.request
            for _ in range(480):
                try:
                    if urllib.request.urlopen("http://127.0.0.1:\(port)/health", timeout=2).status == 200:
                        print("up"); break
                except Exception:
                    time.sleep(0.25)
            """))?.contains("up") == true
        try #require(up, "mlflow server did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
        let summary = try Self.summary(try PythonPeer.run(try Self.script, args: ["http://127.0.0.1:\(port)", "full"]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.fullChecks, "\(summary)")
    }
}
