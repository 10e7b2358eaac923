import Foundation
import Registry
import Tracking
@testable import TrackingServer

/// A temp SQLite store filled for the web UI tests: two experiments, a parent run with two child
/// runs, metric histories, params, tags, a dataset input, text and SVG artifacts, strings with
/// `<script>` in them, and a registered model with versions, an alias set by a gate decision, a
/// stage and tags.
struct UIFixture {
    let dir: URL
    let tracking: SQLiteTrackingStore
    let registry: SQLiteRegistryStore
    let ui: WebUI
    let experimentId: String
    let otherExperimentId: String
    let parent: Run
    let childA: Run
    let childB: Run
    let baseline: Run

    static let script = "<script>alert(\"pwned\")</script>"
    static let lossA: [Double] = [0.9, 0.7, 0.55, 0.42, 0.4]
    static let lossB: [Double] = [0.95, 0.8, 0.6]

    init() async throws {
        dir = try TestPaths.tempDir("mltrack-ui")
        tracking = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path, actor: "tester",
                                           clock: { 1_700_000_000_000 })
        registry = try SQLiteRegistryStore(tracking: tracking, actor: "tester")
        experimentId = try tracking.createExperiment(name: "churn", tags: [ExperimentTag(key: "team", value: "growth")])
        otherExperimentId = try tracking.createExperiment(name: "recs " + Self.script)

        parent = try tracking.createRun(experimentId: experimentId, runName: "grid-search", startTime: 1_700_000_100_000)
        childA = try tracking.createRun(experimentId: experimentId, runName: "child-a", startTime: 1_700_000_200_000,
                                        tags: [RunTag(key: RunTag.parentRunIdKey, value: parent.info.runId)])
        childB = try tracking.createRun(experimentId: experimentId, runName: "child-b", startTime: 1_700_000_300_000,
                                        tags: [RunTag(key: RunTag.parentRunIdKey, value: parent.info.runId)])
        baseline = try tracking.createRun(experimentId: experimentId, runName: "baseline", startTime: 1_700_000_000_000)

        try tracking.logBatch(runId: childA.info.runId,
                              metrics: Self.lossA.enumerated().map { Metric(key: "loss", value: $1, timestamp: 1_700_000_200_000 + Int64($0), step: Int64($0)) }
                                  + [Metric(key: "auc", value: 0.91, timestamp: 1_700_000_200_100)],
                              params: [Param(key: "l2", value: "0.1"), Param(key: "solver", value: "lbfgs")])
        try tracking.logBatch(runId: childB.info.runId,
                              metrics: Self.lossB.enumerated().map { Metric(key: "loss", value: $1, timestamp: 1_700_000_300_000 + Int64($0), step: Int64($0)) }
                                  + [Metric(key: "auc", value: 0.84, timestamp: 1_700_000_300_100)],
                              params: [Param(key: "l2", value: "1.0"), Param(key: "solver", value: "lbfgs")])
        try tracking.logBatch(runId: baseline.info.runId, metrics: [Metric(key: "auc", value: 0.75, timestamp: 1_700_000_000_500)],
                              params: [Param(key: "l2", value: "10"), Param(key: "note", value: Self.script)],
                              tags: [RunTag(key: "owner", value: "<b>bob</b>")])
        try tracking.logInputs(runId: childA.info.runId, datasets: [DatasetInput(
            dataset: Dataset(name: "customers", digest: "d41d8cd9", sourceType: "delta", source: "{\"uri\": \"gold/customers\", \"version\": 3}",
                             schema: "{\"mlflow_colspec\": [{\"name\": \"tenure\", \"type\": \"long\"}]}", profile: "{\"num_rows\": 1200}"),
            tags: [InputTag(key: InputTag.contextKey, value: "training")])])
        for r in [parent, childA, childB, baseline] {
            try tracking.updateRun(id: r.info.runId, status: .finished, endTime: r.info.startTime + 65_000)
        }

        let store = try LocalArtifactStore(root: childA.info.artifactUri)
        try store.log(data: Data("hello from mltrack\n\(Self.script)\n".utf8), at: "notes.txt")
        try store.log(data: Data("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"40\"><circle cx=\"20\" cy=\"20\" r=\"10\" fill=\"red\"/></svg>".utf8),
                      at: "plots/roc.svg")
        try store.log(data: Data("artifact_path: model\nflavors: {}\n".utf8), at: "model/MLmodel")

        _ = try registry.createRegisteredModel(name: "churn-model", description: "Churn classifier", tags: ["team": "growth"])
        _ = try registry.createModelVersion(name: "churn-model", source: childA.info.artifactUri + "/model", runId: childA.info.runId,
                                                  description: "", tags: ["candidate": "yes"])
        _ = try await registry.createModelVersion(name: "churn-model", source: childB.info.artifactUri + "/model", runId: childB.info.runId)
        let pass = GateResult(name: "auc >= 0.8", kind: .threshold, metric: "auc", candidate: 0.91, min: 0.8, verdict: .pass, reason: "0.91 >= 0.8")
        try registry.commitPromotion(PromotionDecision(model: "churn-model", version: 1, alias: "champion", previousHolder: nil,
                                                             gates: [pass], forced: false, actor: "tester", timestamp: 1_700_000_400_000,
                                                             policySource: "Models/churn.yaml"))
        let fail = GateResult(name: "beat holder on auc", kind: .beatHolder, metric: "auc", candidate: 0.84, holder: 0.91, holderVersion: 1,
                              verdict: .fail, reason: "0.84 does not beat 0.91")
        try registry.commitPromotion(PromotionDecision(model: "churn-model", version: 2, alias: "champion", previousHolder: 1,
                                                             gates: [fail], forced: false, actor: "tester", timestamp: 1_700_000_500_000,
                                                             policySource: "Models/churn.yaml"))
        _ = try registry.transitionStage(name: "churn-model", version: 2, stage: .staging, archiveExistingVersions: false)

        ui = WebUI(tracking: tracking, registry: registry)
    }

    func page(_ path: String, _ query: [String: [String]] = [:]) async -> (status: Int, html: String) {
        await ui.page(path: path, query: query)
    }
}

extension String {
    /// How many times `needle` occurs.
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }

    /// The `d` attributes of `<path class="series…"` elements, in order.
    var seriesPaths: [String] {
        var out: [String] = []
        var rest = self[...]
        while let r = rest.range(of: "<path class=\"series") {
            rest = rest[r.upperBound...]
            guard let d = rest.range(of: " d=\""), let end = rest[d.upperBound...].firstIndex(of: "\"") else { break }
            out.append(String(rest[d.upperBound..<end]))
        }
        return out
    }
}

/// Points in an SVG path `d`: the `M` plus one per `L`.
func pathPoints(_ d: String) -> Int { d.split(separator: " ").filter { $0.hasPrefix("M") || $0.hasPrefix("L") }.count }
