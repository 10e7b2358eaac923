import Foundation
import Registry
import Testing
import Tracking

/// Registry tables and the tracking-backed gate context the CLI promotes with.
@Suite struct RegistryPresentationTests {
    let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static let policyYAML = """
        model: churn
        aliases:
          champion:
            - metric: roc_auc
              min: 0.75
            - metric: log_loss
              max: 0.5
            - beat_holder:
                metric: roc_auc
                by: 0.002
        """

    /// A tracking store with one run per metric set; returns the store and the run ids.
    func tracking(_ label: String, _ metricSets: [[String: Double]]) throws -> (SQLiteTrackingStore, [String]) {
        let dir = try TestPaths.tempDir(label)
        let store = try SQLiteTrackingStore(path: dir.appendingPathComponent("m.db").path)
        let exp = try store.createExperiment(name: "churn")
        var ids: [String] = []
        for m in metricSets {
            let r = try store.createRun(experimentId: exp)
            try store.logBatch(runId: r.info.runId, metrics: m.map { Metric(key: $0.key, value: $0.value, timestamp: 0) })
            ids.append(r.info.runId)
        }
        return (store, ids)
    }

    @Test func thresholdGatesFromLoggedMetricsAndAClearBeatHolderRefusal() async throws {
        let (tracking, runs) = try tracking("registry-gates", [
            ["test_roc_auc": 0.80, "test_log_loss": 0.45, "train_roc_auc": 0.9],
            ["test_roc_auc": 0.82, "test_log_loss": 0.44, "roc_auc": 0.7],
        ])
        let registry = InMemoryRegistryStore()
        _ = try await registry.createRegisteredModel(name: "churn")
        for r in runs { _ = try await registry.createModelVersion(name: "churn", source: "file:///x/\(r)/model", runId: r) }
        let context = TrackedRunGateContext(tracking: tracking)
        let v1 = try await registry.modelVersion(name: "churn", version: 1)
        #expect(try await context.candidateMetrics(v1) == ["test_roc_auc": 0.80, "test_log_loss": 0.45, "train_roc_auc": 0.9,
                                                            "roc_auc": 0.80, "log_loss": 0.45])
        // An unprefixed metric the run logged wins over its test_ twin.
        let v2 = try await registry.modelVersion(name: "churn", version: 2)
        #expect(try await context.candidateMetrics(v2)["roc_auc"] == 0.7)

        let promoter = Promoter(store: registry, policies: try PromotionPolicies([PromotionPolicy(yaml: Self.policyYAML)]),
                                context: context)
        let first = try await promoter.promote(name: "churn", version: 1, alias: "champion", actor: "alice")
        #expect(first.applied && first.gates.map(\.verdict) == [.pass, .pass, .pass])
        #expect(first.gates[2].reason == "no current holder")

        // With a holder, the beat-holder gate needs scoring this build cannot do: it fails saying so.
        let second = try await promoter.promote(name: "churn", version: 2, alias: "champion", actor: "alice")
        #expect(!second.applied)
        #expect(second.gates[0].verdict == .fail)   // roc_auc 0.7 < 0.75
        #expect(second.gates[2].verdict == .fail)
        #expect(second.gates[2].reason.contains("register.auto_promote"))
        #expect(try await registry.aliasHolder(name: "churn", alias: "champion") == 1)
        #expect(second.report.contains("FAIL  beat holder on roc_auc by 0.002"))
    }

    @Test func versionsAndModelTables() throws {
        let v = ModelVersion(name: "churn", version: 3, creationTimestamp: 1_700_000_000_000, lastUpdatedTimestamp: 1_700_000_000_000,
                             description: "", source: "file:///r/model", runId: "abc", status: .ready, statusMessage: nil,
                             currentStage: .none, tags: [:], aliases: ["champion"], userId: nil)
        #expect(RegistryTables.versions([v], timeZone: utc) == """
            VERSION  ALIASES   STAGE  STATUS  RUN ID  CREATED               SOURCE
            -------  --------  -----  ------  ------  --------------------  ---------------
                  3  champion  None   READY   abc     2023-11-14T22:13:20Z  file:///r/model

            """)
        let m = RegisteredModel(name: "churn", creationTimestamp: 1_700_000_000_000, lastUpdatedTimestamp: 1_700_000_000_000,
                                description: "churn model", tags: ["team": "growth"], aliases: ["champion": 3, "shadow": 2],
                                latestVersions: [v], userId: nil)
        let text = RegistryTables.models([m], timeZone: utc)
        #expect(text.contains("churn       3  champion=v3, shadow=v2  2023-11-14T22:13:20Z  churn model"))
        let shown = RegistryTables.model(m, versions: [v], timeZone: utc)
        #expect(shown.contains("aliases      champion=v3, shadow=v2") && shown.contains("team  growth"))
    }
}
