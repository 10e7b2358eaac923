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
        let server = try await ServerBinaryProcess.start(label: "tsrv-e2e")
        defer { server.stop() }
        let output = try PythonPeer.run(try Self.script, args: [server.url, Self.mltrackParts.joined(separator: ",")])
        let summary = try Self.summary(output)
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks(Self.mltrackParts), "\(summary)")

        let exitedCleanly = try await server.terminate()
        let log = server.log
        #expect(exitedCleanly, "stderr: \(log)")
        #expect(log.contains("\"msg\":\"shutting down\""))
        #expect(log.contains("\"path\":\"/api/2.0/mlflow/runs/log-batch\""))
        // Every request succeeded except the script's deliberate errors (4xx), none a 5xx.
        #expect(!log.contains("\"status\":\"5"), "\(log)")
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow and pandas"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let server = try await MLflowServerProcess.start()
        defer { server.stop() }
        let summary = try Self.summary(try PythonPeer.run(try Self.script, args: [server.url]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["parts"] as? [String: Int] == Self.checksPerPart, "\(summary)")
        #expect(summary["checks"] as? Int == Self.expectedChecks(["tracking", "artifacts", "registry"]), "\(summary)")
    }
}
