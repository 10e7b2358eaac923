import Foundation
import Testing
import Tracking

/// A tracking store on disk, populated through the library for the CLI tests: two experiments,
/// five runs with params, metrics, tags, a dataset input and artifacts (actor `alice`).
struct TrackingCLIFixture {
    let dir: URL
    let dbPath: String
    let store: SQLiteTrackingStore
    /// Runs by name: lr-a, lr-b, lr-c, lr-d (churn), als (recsys).
    var runs: [String: String] = [:]
    /// The bytes logged at `model/weights.bin` of lr-a.
    var weights = Data()

    init(_ label: String) throws {
        dir = try TestPaths.tempDir(label)
        dbPath = dir.appendingPathComponent("mltrack.db").path
        store = try SQLiteTrackingStore(path: dbPath, actor: "alice")
        let churn = try store.createExperiment(name: "churn")
        let recsys = try store.createExperiment(name: "recsys")
        func run(_ exp: String, _ name: String, start: Int64, end: Int64?, status: RunStatus,
                 params: [(String, String)], metrics: [(String, Double)], tags: [(String, String)]) throws -> String {
            let r = try store.createRun(experimentId: exp, runName: name, startTime: start)
            try store.logBatch(runId: r.info.runId,
                               metrics: metrics.map { Metric(key: $0.0, value: $0.1, timestamp: start + 10, step: 0) },
                               params: params.map { Param(key: $0.0, value: $0.1) },
                               tags: tags.map { RunTag(key: $0.0, value: $0.1) })
            if status != .running { try store.updateRun(id: r.info.runId, status: status, endTime: end) }
            return r.info.runId
        }
        runs["lr-a"] = try run(churn, "lr-a", start: 1_000_000, end: 1_004_000, status: .finished,
                               params: [("l2", "1.0"), ("solver", "lbfgs")], metrics: [("test_auc", 0.81), ("log_loss", 0.45)],
                               tags: [("team", "growth")])
        runs["lr-b"] = try run(churn, "lr-b", start: 2_000_000, end: 2_003_000, status: .finished,
                               params: [("l2", "0.5"), ("solver", "lbfgs")], metrics: [("test_auc", 0.79), ("log_loss", 0.47)],
                               tags: [("team", "growth")])
        runs["lr-c"] = try run(churn, "lr-c", start: 3_000_000, end: 3_002_000, status: .finished,
                               params: [("l2", "1.0"), ("solver", "newton")], metrics: [("test_auc", 0.85)],
                               tags: [("team", "core")])
        runs["lr-d"] = try run(churn, "lr-d", start: 4_000_000, end: nil, status: .running,
                               params: [("l2", "1.0")], metrics: [("test_auc", 0.9)], tags: [("team", "growth")])
        runs["als"] = try run(recsys, "als", start: 5_000_000, end: 5_001_000, status: .finished,
                              params: [("factors", "16")], metrics: [("precision_at_k", 0.1)], tags: [])
        let a = try #require(runs["lr-a"])
        try store.logInputs(runId: a, datasets: [DatasetInput(
            dataset: Dataset(name: "customers", digest: "9f86d081", sourceType: "delta", source: "/data/gold/customers"),
            tags: [InputTag(key: "mlflow.data.context", value: "training")])])
        var g = SeededGenerator(seed: 11)
        weights = Data((0 ..< 10_000).map { _ in UInt8.random(in: 0 ... 255, using: &g) })
        let artifacts = try LocalArtifactStore(root: try store.getRun(id: a).info.artifactUri)
        try artifacts.log(data: weights, at: "model/weights.bin")
        try artifacts.log(data: Data("<svg/>".utf8), at: "plots/roc.svg")
    }

    func id(_ name: String) throws -> String { try #require(runs[name]) }

    /// `mltrack args… --tracking-uri <db>`.
    func cli(_ args: [String]) throws -> MLTrackCLI.Run {
        try MLTrackCLI.run(args + ["--tracking-uri", dbPath])
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// The run ids of a `{"runs": [...]}` document, in order.
    func runIds(_ doc: [String: Any]) throws -> [String] {
        let runs = try #require(doc["runs"] as? [[String: Any]])
        return try runs.map { try #require(($0["info"] as? [String: Any])?["run_id"] as? String) }
    }
}
