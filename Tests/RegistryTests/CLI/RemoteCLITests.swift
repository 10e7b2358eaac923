import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Registry
import Testing
import Tracking

/// The CLI on an http tracking URI, end to end through the built binary against a real
/// `mlflow server` and against our own `mltrack server`: `experiments list`, `runs list/show`, the `models` commands (the registry is
/// ``RESTRegistryStore`` on the same server) and `mltrack run`. The server is populated through
/// the library's REST stores.
@Suite(.serialized, .enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
struct RemoteCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test(.enabled(if: MLflowServerProcess.available, "needs mlflow next to $MLTRACK_PYTHON"))
    func trackingAndRegistryCommandsAgainstRealMLflowServer() async throws {
        let server = try await MLflowServerProcess.start()
        defer { server.stop() }
        try await exercise(url: server.url)
    }

    /// The same commands against our own `mltrack server` (built binary, fresh store).
    @Test func trackingAndRegistryCommandsAgainstMltrackServer() async throws {
        let server = try await MltrackServerProcess()
        defer { server.stop() }
        try await exercise(url: server.url)
    }

    func exercise(url: String) async throws {
        let tracking = try RESTTrackingStore(uri: url)
        let exp = try tracking.createExperiment(name: "remote-cli")
        var runs: [String] = []
        for (auc, loss) in [(0.80, 0.45), (0.70, 0.60)] {
            let r = try tracking.createRun(experimentId: exp, runName: "lr-\(runs.count)", startTime: 1_700_000_000_000 + Int64(runs.count))
            try tracking.logBatch(runId: r.info.runId,
                                  metrics: [Metric(key: "test_roc_auc", value: auc, timestamp: 1), Metric(key: "test_log_loss", value: loss, timestamp: 1)],
                                  params: [Param(key: "l2", value: "1.0")], tags: [RunTag(key: "team", value: "growth")])
            try tracking.updateRun(id: r.info.runId, status: .finished, endTime: 1_700_000_001_000)
            runs.append(r.info.runId)
        }
        let registry = try RESTRegistryStore(uri: url)
        _ = try await registry.createRegisteredModel(name: "churn")
        for id in runs {
            let root = try tracking.getRun(id: id).info.artifactUri
            _ = try await registry.createModelVersion(name: "churn", source: root + "/model", runId: id)
        }
        func cli(_ args: [String]) throws -> MLTrackCLI.Run { try MLTrackCLI.run(args + ["--tracking-uri", url]) }

        // Tracking commands.
        let experiments = try cli(["experiments", "list", "--format", "json"])
        #expect(experiments.status == 0, "\(experiments.err)")
        let names = try #require(try json(experiments.out)["experiments"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(Set(names) == ["Default", "remote-cli"])
        #expect(try cli(["experiments", "list"]).out.contains("remote-cli"))

        let listed = try cli(["runs", "list", "--experiment", "remote-cli", "--format", "json"])
        #expect(listed.status == 0, "\(listed.err)")
        let runInfos = try #require(try json(listed.out)["runs"] as? [[String: Any]]).compactMap { $0["info"] as? [String: Any] }
        #expect(runInfos.compactMap { $0["run_id"] as? String } == runs.reversed())   // newest first
        let table = try cli(["runs", "list", "--experiment", "remote-cli", "--metric", "test_roc_auc"])
        #expect(table.out.contains("lr-0") && table.out.contains("lr-1") && table.out.contains("0.8"))

        let shown = try cli(["runs", "show", runs[0], "--format", "json"])
        #expect(shown.status == 0, "\(shown.err)")
        let run = try #require(try json(shown.out)["run"] as? [String: Any])
        let data = try #require(run["data"] as? [String: Any])
        #expect(data["params"] as? [[String: String]] == [["key": "l2", "value": "1.0"]])
        let metrics = try #require(data["metrics"] as? [[String: Any]])
        #expect(metrics.first { $0["key"] as? String == "test_roc_auc" }?["value"] as? Double == 0.8)
        // The run's artifacts are listed through the server's artifact proxy (none were logged).
        #expect(!shown.err.contains("not listed"), "\(shown.err)")
        let showTable = try cli(["runs", "show", runs[0]])
        #expect(showTable.status == 0 && showTable.out.contains("test_log_loss"))

        // Registry commands.
        let models = try cli(["models", "list", "--format", "json"])
        #expect(models.status == 0, "\(models.err)")
        #expect(try #require(try json(models.out)["registered_models"] as? [[String: Any]]).compactMap { $0["name"] as? String } == ["churn"])
        let versions = try json(try cli(["models", "versions", "churn", "--format", "json"]).out)
        #expect((versions["model_versions"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["2", "1"])

        let dir = try TestPaths.tempDir("remote-cli")
        let policies = dir.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        try ModelsCLITests.policy.write(to: policies.appendingPathComponent("churn.yaml"), atomically: true, encoding: .utf8)
        let p1 = try cli(["models", "promote", "churn", "--version", "1", "--alias", "champion", "--policies", policies.path])
        #expect(p1.status == 0, "\(p1.err)")
        #expect(p1.out.contains("churn v1 → champion: promoted (3/3 gates passed)"))
        #expect(p1.out.contains("PASS  roc_auc >= 0.75: roc_auc 0.8 >= 0.75"))
        let p2 = try cli(["models", "promote", "churn", "--version", "2", "--alias", "champion", "--policies", policies.path])
        #expect(p2.status == 1)
        #expect(p2.out.contains("FAIL  roc_auc >= 0.75") && p2.out.contains("FAIL  log_loss <= 0.5"))
        let decisions = try await registry.promotionDecisions(name: "churn")
        #expect(decisions.map(\.version) == [1, 2] && decisions.map(\.applied) == [true, false])

        #expect(try cli(["models", "alias", "churn", "shadow", "--version", "2"]).status == 0)
        #expect(try cli(["models", "tag", "churn", "team", "growth"]).status == 0)
        let show = try json(try cli(["models", "show", "churn", "--format", "json"]).out)
        let model = try #require(show["registered_model"] as? [String: Any])
        #expect(model["aliases"] as? [[String: String]] == [["alias": "champion", "version": "1"], ["alias": "shadow", "version": "2"]])
        // The promotion records (mltrack.promotion.* tags) are not shown as tags.
        #expect(model["tags"] as? [[String: String]] == [["key": "team", "value": "growth"]])
        let rows = try cli(["models", "versions", "churn"]).out.split(separator: "\n").map(String.init)
        #expect(rows.count == 4 && rows[2].hasPrefix("      2  shadow") && rows[3].hasPrefix("      1  champion"))

        #expect(try cli(["models", "delete", "churn", "--version", "2"]).status == 0)
        let left = try json(try cli(["models", "versions", "churn", "--format", "json"]).out)
        #expect((left["model_versions"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["1"])
        #expect(try await registry.registeredModel(name: "churn").aliases == ["champion": 1])

        // Registering from a run checks the package through the run's artifacts (over the proxy).
        let register = try cli(["models", "register", "churn", "--run", runs[0]])
        #expect(register.status == 1 && register.err.contains("has no model package"), "\(register.err)")
        // The audit log stays on the server.
        let audit = try cli(["audit"])
        #expect(audit.status == 1 && audit.err.contains(url))
        let missing = try cli(["models", "show", "nope"])
        #expect(missing.status == 1 && missing.err.contains("nope"))

        // `mltrack run` logs params, metrics, tags, the dataset and the model package (through the
        // artifact proxy) to the server.
        let spec = TestPaths.packageRoot.appendingPathComponent("Experiments/churn.yaml").path
        let trained = try cli(["run", spec, "--experiment", "remote-run", "--no-register", "--quiet"])
        #expect(trained.status == 0, "\(trained.err)")
        let remoteExp = try #require(try tracking.getExperimentByName("remote-run"))
        let remoteRuns = try tracking.searchRuns(experimentIds: [remoteExp.experimentId]).items
        let trainedRun = try #require(remoteRuns.first)
        #expect(remoteRuns.count == 1 && trainedRun.info.status == .finished)
        #expect(!trainedRun.data.params.isEmpty && trainedRun.data.metrics.contains { $0.key.hasPrefix("test_") })
        #expect(trainedRun.inputs.datasetInputs.count == 1)
        #expect(try tracking.getMetricHistory(runId: trainedRun.info.runId, key: "train_loss").count > 1)
        let files = try cli(["artifacts", "list", trainedRun.info.runId, "--recursive"])
        #expect(files.status == 0 && files.out.contains("model/MLmodel") && files.out.contains("spec.yaml"), "\(files.out)\(files.err)")

        // Register it, then score with models:/ (the package downloaded through the proxy) and with
        // a copy fetched by `artifacts get`: the same predictions.
        let reg = try cli(["models", "register", "churn-remote", "--run", trainedRun.info.runId])
        #expect(reg.status == 0, "\(reg.err)")
        let pkg = dir.appendingPathComponent("pkg").path
        #expect(try cli(["artifacts", "get", trainedRun.info.runId, "model", "--out", pkg]).status == 0)
        let input = TestPaths.packageRoot.appendingPathComponent("Experiments/gold/customers").path
        let viaRegistry = dir.appendingPathComponent("scored-registry").path, viaCopy = dir.appendingPathComponent("scored-copy").path
        let s1 = try cli(["score", "models:/churn-remote/1", "--input", input, "--output", viaRegistry, "--id-columns", "customer_id", "--quiet"])
        #expect(s1.status == 0, "\(s1.err)")
        let s2 = try MLTrackCLI.run(["score", pkg, "--input", input, "--output", viaCopy, "--id-columns", "customer_id", "--quiet"])
        #expect(s2.status == 0, "\(s2.err)")
        func scores(_ table: String) throws -> [String] {
            try MLTrackCLI.run(["gold", "cat", table, "--columns", "customer_id,probability", "--format", "csv"]).out
                .split(separator: "\n").map(String.init).sorted()
        }
        let registryScores = try scores(viaRegistry), copyScores = try scores(viaCopy)
        #expect(registryScores.count > 1000 && registryScores == copyScores)

        // `mltrack serve` loads the same version through the server's registry and proxy.
        try await serveAnswers(args: ["serve", "models:/churn-remote/1", "--tracking-uri", url, "--port", "0", "--quiet"],
                               expectVersion: "churn-remote/1")
    }

    /// Starts `mltrack args…`, waits (bounded) for the port it prints, checks `/version` names
    /// `expectVersion`, then stops it with SIGTERM.
    func serveAnswers(args: [String], expectVersion: String) async throws {
        let dir = try TestPaths.tempDir("remote-serve")
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: MLTrackCLI.binary ?? "")
        p.arguments = args
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        var port: Int?
        for _ in 0 ..< 1200 where port == nil && p.isRunning {
            let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let port_ = try #require(port, "no port printed; stderr: \(String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))")
        let (_, response) = try await URLSession.shared.data(from: try #require(URL(string: "http://127.0.0.1:\(port_)/version")))
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "X-Mltrack-Model-Version") == expectVersion)
        p.terminate()
        for _ in 0 ..< 400 where p.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        #expect(!p.isRunning && p.terminationStatus == 0)
    }
}
