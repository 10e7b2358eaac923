import Foundation
import Testing
import Tracking

/// The real mlflow client's artifact calls (Peers/artifacts_e2e.py: log_artifact, log_artifacts,
/// list_artifacts, download_artifacts, load_text, byte-equal checks) against `mltrack server`,
/// and the same script against a real `mlflow server` to prove it right.
@Suite(.serialized) struct MLflowClientArtifactTests {
    static let expectedChecks = 17

    static var script: String {
        get throws {
            try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TrackingServerTests/Peers/artifacts_e2e.py"), encoding: .utf8)
        }
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil && MLflowClientTests.mlflowVersion != nil, "needs the mltrack binary and MLTRACK_PYTHON with mlflow"))
    func realClientAgainstMltrackServer() async throws {
        let server = try PeerServer.mltrack()
        defer { server.stop() }
        let summary = try MLflowClientTests.summary(try await blocking { try PythonPeer.run(try Self.script, args: [server.url]) })
        #expect(summary["ok"] as? Bool == true, "\(summary)")
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
        // The files the client uploaded sit under the destination, with a manifest that matches them.
        let exp = try #require(summary["experiment_id"] as? String), run = try #require(summary["run_id"] as? String)
        let artifacts = try LocalArtifactStore(root: server.destination.path + "/\(exp)/\(run)/artifacts")
        #expect(try artifacts.verify() == [])
        #expect(try artifacts.manifest().files.map(\.path) == [
            "blobs/big.bin", "notes.txt", "texts/d.json", "texts/inline.txt", "tree/a.txt", "tree/nested/deeper/w.bin",
            "tree/nested/été.csv", "tree/space name.txt",
        ])
    }

    @Test(.enabled(if: MLflowClientTests.mlflowVersion != nil, "needs MLTRACK_PYTHON with mlflow"))
    func sameScriptAgainstRealMLflowServer() async throws {
        let server = try PeerServer.mlflow()
        defer { server.stop() }
        let summary = try MLflowClientTests.summary(try await blocking { try PythonPeer.run(try Self.script, args: [server.url]) })
        #expect(summary["ok"] as? Bool == true, "\(summary)")
        #expect(summary["checks"] as? Int == Self.expectedChecks, "\(summary)")
    }
}
