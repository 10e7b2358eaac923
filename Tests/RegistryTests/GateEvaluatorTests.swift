import Foundation
import Registry
import Testing
import Tracking

@Suite struct GateEvaluatorTests {
    static func version(_ v: Int, _ name: String = "churn") -> ModelVersion {
        ModelVersion(name: name, version: v, creationTimestamp: 0, lastUpdatedTimestamp: 0, source: "file:///\(v)")
    }

    static var churn: PromotionPolicy { get throws { try PromotionPolicy(model: "churn", aliases: [
        "champion": [
            .threshold(metric: "roc_auc", min: 0.75, max: nil),
            .threshold(metric: "log_loss", min: nil, max: 0.5),
            .beatHolder(metric: "roc_auc", by: 0.002, mode: .max),
        ],
    ], source: "Models/churn.yaml") } }

    /// Candidate v2 (logged auc/log loss), holder v1; both scored on v2's split.
    static func context(logged: [String: Double], candidateOnSplit: [String: Double]?, holderOnSplit: [String: Double]?) -> TableContext {
        var c = TableContext()
        c.logged[2] = logged
        if let candidateOnSplit { c.scores[.init(version: 2, split: 2)] = candidateOnSplit }
        if let holderOnSplit { c.scores[.init(version: 1, split: 2)] = holderOnSplit }
        return c
    }

    func evaluate(_ context: TableContext, holder: ModelVersion? = version(1), policy: PromotionPolicy? = nil) async throws -> PromotionDecision {
        try await GateEvaluator.evaluate(policy: try policy ?? Self.churn, alias: "champion", candidate: Self.version(2), holder: holder, context: context)
    }

    @Test func allGatesPass() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: ["roc_auc": 0.80],
                                                holderOnSplit: ["roc_auc": 0.79]))
        #expect(d.passed && d.applied && !d.forced && d.previousHolder == 1)
        #expect(d.gates.map(\.verdict) == [.pass, .pass, .pass])
        #expect(d.gates.map(\.name) == ["roc_auc >= 0.75", "log_loss <= 0.5", "beat holder on roc_auc by 0.002 (higher is better)"])
        #expect(d.gates[0].candidate == 0.80 && d.gates[0].min == 0.75 && d.gates[0].max == nil)
        #expect(d.gates[1].candidate == 0.45 && d.gates[1].max == 0.5)
        let beat = d.gates[2]
        #expect(beat.kind == .beatHolder && beat.candidate == 0.80 && beat.holder == 0.79 && beat.holderVersion == 1)
        #expect(beat.min == 0.79 + 0.002 && beat.max == nil)
        #expect(beat.reason == "candidate 0.8 vs holder v1 0.79: 0.01 higher, margin 0.002 met")
        #expect(d.summary == "churn v2 → champion: promoted (3/3 gates passed)")
        #expect(d.policySource == "Models/churn.yaml")
    }

    @Test func failsOnThreshold() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.74, "log_loss": 0.51], candidateOnSplit: ["roc_auc": 0.74],
                                                holderOnSplit: ["roc_auc": 0.70]))
        #expect(!d.passed && !d.applied)
        #expect(d.gates.map(\.verdict) == [.fail, .fail, .pass])
        #expect(d.gates[0].reason == "roc_auc 0.74 is below the minimum 0.75")
        #expect(d.gates[1].reason == "log_loss 0.51 is above the maximum 0.5")
        #expect(d.summary == "churn v2 → champion: refused (1/3 gates passed)")
    }

    @Test func failsOnHolderComparison() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: ["roc_auc": 0.80],
                                                holderOnSplit: ["roc_auc": 0.799]))
        #expect(!d.passed && d.gates.map(\.verdict) == [.pass, .pass, .fail])
        #expect(d.gates[2].reason == "candidate 0.8 vs holder v1 0.799: 0.001 higher, needs at least 0.002 higher")
        // A holder that is better outright fails too.
        let worse = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: ["roc_auc": 0.80],
                                                    holderOnSplit: ["roc_auc": 0.85]))
        #expect(worse.gates[2].verdict == .fail && worse.gates[2].reason.contains("-0.05 higher"))
    }

    @Test func beatHolderUsesScoresOnTheCandidateSplitNotLoggedMetrics() async throws {
        // Logged 0.80 would beat 0.79, but on the split both are scored with, the candidate has 0.7905.
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: ["roc_auc": 0.7905],
                                                holderOnSplit: ["roc_auc": 0.79]))
        #expect(d.gates[2].verdict == .fail && d.gates[2].candidate == 0.7905)
    }

    @Test func missingChampionPasses() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: nil, holderOnSplit: nil),
                                   holder: nil)
        #expect(d.passed && d.previousHolder == nil)
        #expect(d.gates[2].verdict == .pass && d.gates[2].reason == "no current holder")
        #expect(d.gates[2].candidate == nil && d.gates[2].holder == nil && d.gates[2].holderVersion == nil)
    }

    @Test func candidateAlreadyHoldingPasses() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80, "log_loss": 0.45], candidateOnSplit: nil, holderOnSplit: nil),
                                   holder: Self.version(2))
        #expect(d.passed && d.gates[2].reason == "candidate already holds the alias")
        #expect(d.summary == "churn v2 → champion: already held, kept (3/3 gates passed)")
    }

    /// A difference of exactly δ passes, even when binary floating point makes `0.3 − 0.1` come
    /// out as 0.19999999999999998; a difference below δ by 1e-9 fails.
    @Test func tieAtExactlyDeltaPasses() async throws {
        #expect(0.3 - 0.1 < 0.2)   // the floating-point trap the tolerance is for
        let policy = try PromotionPolicy(model: "churn", aliases: [
            "champion": [.beatHolder(metric: "auc", by: 0.2, mode: .max), .beatHolder(metric: "loss", by: 0.1, mode: .min)],
        ])
        var c = TableContext()
        c.scores[.init(version: 2, split: 2)] = ["auc": 0.3, "loss": 0.4]
        c.scores[.init(version: 1, split: 2)] = ["auc": 0.1, "loss": 0.5]
        let tie = try await evaluate(c, policy: policy)
        #expect(tie.gates.map(\.verdict) == [.pass, .pass])
        #expect(tie.gates[1].max == 0.4 && tie.gates[1].reason.contains("0.1 lower, margin 0.1 met"))
        c.scores[.init(version: 2, split: 2)] = ["auc": 0.3 - 1e-9, "loss": 0.4 + 1e-9]
        let below = try await evaluate(c, policy: policy)
        #expect(below.gates.map(\.verdict) == [.fail, .fail])
        // Thresholds are inclusive too.
        let edge = try PromotionPolicy(model: "churn", aliases: ["champion": [.threshold(metric: "auc", min: 0.75, max: 0.75)]])
        var e = TableContext()
        e.logged[2] = ["auc": 0.75]
        #expect(try await evaluate(e, policy: edge).passed)
    }

    @Test func minModeForLosses() async throws {
        let policy = try PromotionPolicy(model: "churn", aliases: ["champion": [.beatHolder(metric: "log_loss", by: 0.01, mode: .min)]])
        var c = TableContext()
        c.scores[.init(version: 2, split: 2)] = ["log_loss": 0.40]
        c.scores[.init(version: 1, split: 2)] = ["log_loss": 0.45]
        let d = try await evaluate(c, policy: policy)
        #expect(d.passed && d.gates[0].max == 0.44 && d.gates[0].min == nil)
        c.scores[.init(version: 1, split: 2)] = ["log_loss": 0.405]
        let e = try await evaluate(c, policy: policy)
        #expect(!e.passed && e.gates[0].reason == "candidate 0.4 vs holder v1 0.405: 0.005 lower, needs at least 0.01 lower")
    }

    @Test func missingMetricFailsWithReason() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": 0.80], candidateOnSplit: ["roc_auc": 0.80], holderOnSplit: ["pr_auc": 0.5]))
        #expect(d.gates.map(\.verdict) == [.pass, .fail, .fail])
        #expect(d.gates[1].reason == "metric log_loss missing for the candidate (it has: roc_auc)")
        #expect(d.gates[2].reason == "metric roc_auc missing for the holder (version 1) on the candidate's test split")
        // Candidate missing on its split, NaN, and a scorer that fails.
        let nan = try await evaluate(Self.context(logged: ["roc_auc": .nan, "log_loss": 0.4], candidateOnSplit: [:], holderOnSplit: ["roc_auc": 0.5]))
        #expect(nan.gates[0].verdict == .fail && nan.gates[0].reason == "the candidate's roc_auc is nan" && nan.gates[0].candidate == nil)
        #expect(nan.gates[2].reason == "metric roc_auc missing for the candidate on its test split")
        let broken = try await evaluate(Self.context(logged: ["roc_auc": 0.8, "log_loss": 0.4], candidateOnSplit: ["roc_auc": 0.8], holderOnSplit: nil))
        #expect(broken.gates[2].verdict == .fail)
        #expect(broken.gates[2].reason == "cannot score the holder (version 1) on the candidate's test split: v1 cannot be scored on the split of v2")
        var none = TableContext()
        none.scores = [:]
        let noMetrics = try await evaluate(none, holder: nil)
        #expect(noMetrics.gates[0].reason == "cannot read the candidate's metrics: no logged metrics for v2")
    }

    @Test func wrongModelOrAliasThrows() async throws {
        await expectRegistryError(.invalidParameterValue, mentioning: ["Models/churn.yaml", "'churn'", "'other'"]) {
            try await GateEvaluator.evaluate(policy: try Self.churn, alias: "champion", candidate: Self.version(2, "other"),
                                             holder: nil, context: TableContext())
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["'shadow'", "lists: champion"]) {
            try await GateEvaluator.evaluate(policy: try Self.churn, alias: "shadow", candidate: Self.version(2),
                                             holder: nil, context: TableContext())
        }
    }

    @Test func decisionRoundTripsThroughJSON() async throws {
        let d = try await evaluate(Self.context(logged: ["roc_auc": .nan, "log_loss": 0.45], candidateOnSplit: ["roc_auc": 0.80],
                                                holderOnSplit: ["roc_auc": 0.79]))
        let back = try JSONDecoder().decode(PromotionDecision.self, from: try JSONEncoder().encode(d))
        #expect(back == d)
    }
}

@Suite struct PromotionDecisionReportTests {
    @Test func reportListsEveryGate() {
        let gates = [
            GateResult(name: "roc_auc >= 0.75", kind: .threshold, metric: "roc_auc", candidate: 0.797, min: 0.75,
                       verdict: .pass, reason: "roc_auc 0.797 >= 0.75"),
            GateResult(name: "beat holder on roc_auc by 0.002 (higher is better)", kind: .beatHolder, metric: "roc_auc",
                       candidate: 0.797, holder: 0.796, holderVersion: 2, min: 0.798, verdict: .fail,
                       reason: "candidate 0.797 vs holder v2 0.796: 0.001 higher, needs at least 0.002 higher"),
        ]
        let d = PromotionDecision(model: "churn", version: 3, alias: "champion", previousHolder: 2, gates: gates,
                                  forced: true, actor: "alice", timestamp: 1, policySource: nil)
        #expect(d.report == """
            churn v3 → champion: FORCED despite failing gates (1/2 gates passed)
              PASS  roc_auc >= 0.75: roc_auc 0.797 >= 0.75
              FAIL  beat holder on roc_auc by 0.002 (higher is better): candidate 0.797 vs holder v2 0.796: 0.001 higher, needs at least 0.002 higher
              forced by alice
            """)
    }
}
