import Foundation
import Testing

/// The real mlflow Python client (MLTRACK_PYTHON's, 3.17.2) against `mltrack server` started as a
/// subprocess, running the end-to-end script of issue 6 section 3 (Peers/tracking_e2e.py, every
/// answer checked); and the whole script against a real `mlflow server` to prove it right.
@Suite(.serialized) struct MLflowClientTests {
    /// The script's parts `mltrack server` is run with: all of them, every check as against MLflow.
    static let mltrackParts = ["tracking", "artifacts", "registry"]
    /// Checks per part of Peers/tracking_e2e.py with all parts (what the real server passes).
    static let checksPerPart = ["tracking": 44, "artifacts": 12, "registry": 23]
    /// Without "artifacts" the registry part skips its download by alias.
    static func expectedChecks(_ parts: [String]) -> Int {
        parts.reduce(0) { $0 + (checksPerPart[$1] ?? 0) } - (parts.contains("registry") && !parts.contains("artifacts") ? 1 : 0)
    }

    /// The mlflow version when MLTRACK_PYTHON can import mlflow and pandas, else nil.
    static let mlflowVersion: String? = {
        guard PythonPeer.available else { return nil }
        return try? PythonPeer.run("import mlflow, pandas; print(mlflow.__version__)").trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    static var script: String {
        get throws {
            try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TrackingServerTests/Peers/tracking_e2e.py"), encoding: .utf8)
        }
    }

    /// The script's summary: its last output line.
    static func summary(_ output: String) throws -> [String: Any] {
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(output)")
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil && MLflowClientTests.mlflowVersion != nil, "needs the mltrack binary and MLTRACK_PYTHON with mlflow and pandas"))
    func realMLflowClientAgainstMltrackServer() async throws {
        let dir = try TestPaths.tempDir("tsrv-e2e")
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
        let output = try PythonPeer.run(try Self.script, args: ["http://127.0.0.1:\(bound)", Self.mltrackParts.joined(separator: ",")])
        let summary = try Self.summary(output)
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks(Self.mltrackParts), "\(summary)")

        kill(p.processIdentifier, SIGTERM)
        for _ in 0 ..< 400 where p.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "stderr: \(stderrText())")
        let log = stderrText()
        #expect(log.contains("\"msg\":\"shutting down\""))
        #expect(log.contains("\"path\":\"/api/2.0/mlflow/runs/log-batch\""))
        // Every request succeeded except the script's deliberate errors (4xx), none a 5xx.
        #expect(!log.contains("\"status\":\"5"), "\(log)")
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow and pandas"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let server = try MLflowServerProcess()
        defer { server.stop() }
        let summary = try Self.summary(try PythonPeer.run(try Self.script, args: [server.url]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["parts"] as? [String: Int] == Self.checksPerPart, "\(summary)")
        #expect(summary["checks"] as? Int == Self.expectedChecks(["tracking", "artifacts", "registry"]), "\(summary)")
    }
}
