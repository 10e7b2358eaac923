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
        let server = try await ServerBinaryProcess.start(label: "tsrv-reg-e2e")
        defer { server.stop() }
        let summary = try MLflowClientTests.summary(try PythonPeer.run(try Self.script, args: [server.url]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
        let exitedCleanly = try await server.terminate()
        let log = server.log
        #expect(exitedCleanly, "stderr: \(log)")
        #expect(log.contains("\"path\":\"/api/2.0/mlflow/registered-models/get\""))
        #expect(!log.contains("\"status\":\"5"), "\(log)")   // deliberate errors are 4xx, none a 5xx
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow"))
    func sameScriptPassesAgainstRealMLflowServer() async throws {
        let server = try await MLflowServerProcess.start()
        defer { server.stop() }
        let summary = try MLflowClientTests.summary(try PythonPeer.run(try Self.script, args: [server.url]))
        #expect(summary["ok"] as? Bool == true)
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
    }
}
