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
        let server = try MLflowServerProcess()
        defer { server.stop() }
        let summary = try MLflowClientTests.summary(try PythonPeer.run(try Self.script, args: [server.url]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
    }
}
