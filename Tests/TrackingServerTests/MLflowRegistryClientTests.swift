import Foundation
import Testing

/// The real mlflow 3.17.2 client's `MlflowClient` over the registry API (Peers/registry_e2e.py,
/// every answer checked) against `mltrack server` started as a subprocess, and the same script
/// against a real `mlflow server` to prove it right.
@Suite(.serialized) struct MLflowRegistryClientTests {
    static let expectedChecks = 61

    static var script: String {
        get throws {
            try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TrackingServerTests/Peers/registry_e2e.py"), encoding: .utf8)
        }
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil && MLflowClientTests.mlflowVersion != nil, "needs the mltrack binary and MLTRACK_PYTHON with mlflow"))
    func realMLflowClientAgainstMltrackServer() async throws {
        let dir = try TestPaths.tempDir("tsrv-reg-e2e")
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: MLTrackCLI.binary ?? "")
        p.arguments = ["server", "--port", "0", "--backend-store-uri", "sqlite://" + dir.appendingPathComponent("mltrack.db").path,
                       "--artifacts-destination", dir.appendingPathComponent("artifacts").path, "--log-format", "json"]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let stderrText = { String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self) }
        var port: Int?
        for _ in 0 ..< 600 where port == nil && p.isRunning {
            let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let bound = try #require(port, "no port printed; stderr: \(stderrText())")
        let summary = try MLflowClientTests.summary(try PythonPeer.run(try Self.script, args: ["http://127.0.0.1:\(bound)"]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
        kill(p.processIdentifier, SIGTERM)
        for _ in 0 ..< 400 where p.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        p.waitUntilExit()
        let log = stderrText()
        #expect(log.contains("\"path\":\"/api/2.0/mlflow/registered-models/get\""))
        #expect(!log.contains("\"status\":\"5"), "\(log)")   // deliberate errors are 4xx, none a 5xx
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let python = try #require(PythonPeer.python)
        let dir = try TestPaths.tempDir("tsrv-reg-mlflow")
        let port = try #require(Int(try PythonPeer.run(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])").trimmingCharacters(in: .whitespacesAndNewlines)))
        let log = dir.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        // Foundation starts the child as a process-group leader: the server and its worker are
        // stopped together below.
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
        let summary = try MLflowClientTests.summary(try PythonPeer.run(try Self.script, args: ["http://127.0.0.1:\(port)"]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
    }
}
