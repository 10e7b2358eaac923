import Foundation
import Registry
import Testing
import Tracking

/// `mltrack models …` end to end through the built binary, on a tracking store whose runs were
/// logged through the library; the registry is the SQLite one in the same file.
@Suite(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
struct ModelsCLITests {
    /// The churn policy of the presentation tests (thresholds and a beat-holder gate).
    static let policy = RegistryPresentationTests.policyYAML

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test func registerPromoteAliasTagDeleteAndAudit() throws {
        let dir = try TestPaths.tempDir("models-cli")
        let db = dir.appendingPathComponent("mltrack.db").path
        let store = try SQLiteTrackingStore(path: db, actor: "alice")
        let exp = try store.createExperiment(name: "churn")
        var runs: [String] = []
        for (auc, loss) in [(0.80, 0.45), (0.70, 0.60)] {
            let r = try store.createRun(experimentId: exp)
            try store.logBatch(runId: r.info.runId, metrics: [Metric(key: "test_roc_auc", value: auc, timestamp: 0),
                                                              Metric(key: "test_log_loss", value: loss, timestamp: 0)])
            try LocalArtifactStore(root: r.info.artifactUri).log(data: Data("pkg".utf8), at: "model/MLmodel")
            runs.append(r.info.runId)
        }
        let policies = dir.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        try Self.policy.write(to: policies.appendingPathComponent("churn.yaml"), atomically: true, encoding: .utf8)
        func cli(_ args: [String]) throws -> MLTrackCLI.Run { try MLTrackCLI.run(args + ["--tracking-uri", db]) }

        let reg = try cli(["models", "register", "churn", "--run", runs[0], "--format", "json"])
        #expect(reg.status == 0, "\(reg.err)")
        let v1 = try #require(try json(reg.out)["model_version"] as? [String: Any])
        #expect(v1["version"] as? String == "1" && v1["run_id"] as? String == runs[0])
        #expect((v1["source"] as? String)?.hasSuffix("/\(runs[0])/artifacts/model") == true)
        #expect(try cli(["models", "register", "churn", "--run", runs[1]]).status == 0)

        // v1 passes every gate (no holder yet); v2 fails its thresholds and is refused with exit 1.
        let p1 = try cli(["models", "promote", "churn", "--version", "1", "--alias", "champion", "--policies", policies.path])
        #expect(p1.status == 0, "\(p1.err)")
        #expect(p1.out.contains("churn v1 → champion: promoted (3/3 gates passed)"))
        #expect(p1.out.contains("PASS  roc_auc >= 0.75: roc_auc 0.8 >= 0.75"))
        let p2 = try cli(["models", "promote", "churn", "--version", "2", "--alias", "champion", "--policies", policies.path])
        #expect(p2.status == 1)
        #expect(p2.out.contains("FAIL  roc_auc >= 0.75") && p2.out.contains("FAIL  log_loss <= 0.5"))
        #expect(p2.out.contains("FAIL  beat holder on roc_auc"))

        #expect(try cli(["models", "alias", "churn", "shadow", "--version", "2"]).status == 0)
        #expect(try cli(["models", "tag", "churn", "team", "growth"]).status == 0)
        let shown = try json(try cli(["models", "show", "churn", "--format", "json"]).out)
        let model = try #require(shown["registered_model"] as? [String: Any])
        let aliases = try #require(model["aliases"] as? [[String: String]])
        #expect(aliases == [["alias": "champion", "version": "1"], ["alias": "shadow", "version": "2"]])
        #expect(model["tags"] as? [[String: String]] == [["key": "team", "value": "growth"]])
        let table = try cli(["models", "versions", "churn"])
        let lines = table.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines[2].hasPrefix("      2  shadow") && lines[3].hasPrefix("      1  champion"))

        #expect(try cli(["models", "delete", "churn", "--version", "2"]).status == 0)
        let left = try json(try cli(["models", "versions", "churn", "--format", "json"]).out)
        #expect((left["model_versions"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["1"])

        let audit = try json(try cli(["audit", "--entity", "registered_model", "--format", "json"]).out)
        let actions = try #require(audit["events"] as? [[String: Any]]).compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "promote" }.count == 2)
        let missing = try cli(["models", "show", "nope"])
        #expect(missing.status == 1 && missing.err.contains("nope"))
    }
}
