import Foundation
import Registry
import Testing
import Tracking

@Suite struct PromoterTests {
    static let models = TestPaths.packageRoot.appendingPathComponent("Models").path

    /// A store with `name` registered and `count` versions.
    static func store(_ name: String, versions count: Int) async throws -> InMemoryRegistryStore {
        let s = InMemoryRegistryStore(clock: TickClock().function)
        _ = try await s.createRegisteredModel(name: name)
        for i in 1...count { _ = try await s.createModelVersion(name: name, source: "file:///\(name)/\(i)", runId: "run\(i)") }
        return s
    }

    /// Churn metrics per version: logged test metrics, and the same on any split (a stand-in scorer
    /// whose holder numbers do not depend on the split).
    static func churnContext(_ metrics: [Int: [String: Double]]) -> TableContext {
        var c = TableContext()
        c.logged = metrics
        for (v, m) in metrics { for split in metrics.keys { c.scores[.init(version: v, split: split)] = m } }
        return c
    }

    @Test func promotesRefusesAndForces() async throws {
        let store = try await Self.store("churn", versions: 3)
        let context = Self.churnContext([
            1: ["roc_auc": 0.790, "log_loss": 0.46],
            2: ["roc_auc": 0.791, "log_loss": 0.46],   // beats v1 by only 0.001
            3: ["roc_auc": 0.797, "log_loss": 0.457],
        ])
        let promoter = Promoter(store: store, policies: try PromotionPolicies.load(directory: Self.models), context: context,
                                clock: { 42 })
        let first = try await promoter.promote(name: "churn", version: 1, alias: "champion", actor: "alice")
        #expect(first.applied && first.previousHolder == nil && first.actor == "alice" && first.timestamp == 42)
        #expect(first.gates[2].reason == "no current holder")
        #expect(try await store.aliasHolder(name: "churn", alias: "champion") == 1)

        let second = try await promoter.promote(name: "churn", version: 2, alias: "champion", actor: "bob")
        #expect(!second.applied && !second.passed && second.previousHolder == 1)
        #expect(second.gates.map(\.verdict) == [.pass, .pass, .fail])
        #expect(try await store.aliasHolder(name: "churn", alias: "champion") == 1)

        let third = try await promoter.promote(name: "churn", version: 3, alias: "champion", actor: "carol")
        #expect(third.applied && third.gates[2].holder == 0.790 && third.gates[2].candidate == 0.797)
        #expect(try await store.modelVersion(name: "churn", alias: "champion").version == 3)

        let forced = try await promoter.promote(name: "churn", version: 2, alias: "champion", force: true, actor: "dave")
        #expect(forced.forced && forced.applied && !forced.passed && forced.previousHolder == 3)
        #expect(forced.summary == "churn v2 → champion: FORCED despite failing gates (2/3 gates passed)")
        #expect(try await store.aliasHolder(name: "churn", alias: "champion") == 2)

        let history = await store.promotionDecisions(name: "churn")
        #expect(history == [first, second, third, forced])
        #expect(history.map(\.actor) == ["alice", "bob", "carol", "dave"])
    }

    @Test func noPolicyOrUnlistedAliasNeedsForce() async throws {
        let store = try await Self.store("churn", versions: 1)
        _ = try await store.createRegisteredModel(name: "unruled")
        _ = try await store.createModelVersion(name: "unruled", source: "file:///u/1")
        let promoter = Promoter(store: store, policies: try PromotionPolicies.load(directory: Self.models),
                                context: TableContext(), clock: { 7 })
        await expectRegistryError(.invalidParameterValue, mentioning: ["no promotion policy for model 'unruled'", "force"]) {
            try await promoter.promote(name: "unruled", version: 1, alias: "champion", actor: "a")
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["churn.yaml", "no gates for alias 'shadow'"]) {
            try await promoter.promote(name: "churn", version: 1, alias: "shadow", actor: "a")
        }
        let d = try await promoter.promote(name: "unruled", version: 1, alias: "champion", force: true, actor: "a")
        #expect(d.applied && d.forced && d.gates.isEmpty && d.summary == "unruled v1 → champion: FORCED without gates (0/0 gates passed)")
        #expect(try await store.aliasHolder(name: "unruled", alias: "champion") == 1)
        await expectRegistryError(.invalidParameterValue, mentioning: ["latest"]) {
            try await promoter.promote(name: "churn", version: 1, alias: "latest", force: true, actor: "a")
        }
        await expectRegistryError(.resourceDoesNotExist) { try await promoter.promote(name: "churn", version: 9, alias: "champion", actor: "a") }
        #expect(await store.promotionDecisions(name: nil) == [d])
    }

    /// The shipped policies pass the sample tables' numbers (churn test roc_auc 0.797, log_loss 0.457;
    /// ALS precision@10 0.103, NDCG@10 0.287) and refuse clearly worse models.
    @Test func shippedPoliciesOnSampleNumbers() async throws {
        let policies = try PromotionPolicies.load(directory: Self.models)
        let churn = try await Self.store("churn", versions: 2)
        let churnContext = Self.churnContext([1: ["roc_auc": 0.7968, "log_loss": 0.4572], 2: ["roc_auc": 0.62, "log_loss": 0.61]])
        let p = Promoter(store: churn, policies: policies, context: churnContext)
        #expect(try await p.promote(name: "churn", version: 2, alias: "champion", actor: "t").gates.map(\.verdict) == [.fail, .fail, .pass])
        #expect(try await p.promote(name: "churn", version: 1, alias: "champion", actor: "t").applied)

        let rec = try await Self.store("recommender", versions: 3)
        let recContext = Self.churnContext([
            1: ["precision_at_k": 0.1034, "ndcg_at_k": 0.2866],   // ALS, 16 factors
            2: ["precision_at_k": 0.0237, "ndcg_at_k": 0.0522],   // ALS overfitted (64 factors, 15 sweeps)
            3: ["precision_at_k": 0.0897, "ndcg_at_k": 0.2134],   // popularity baseline
        ])
        let r = Promoter(store: rec, policies: policies, context: recContext)
        #expect(try await r.promote(name: "recommender", version: 2, alias: "champion", actor: "t").applied == false)
        #expect(try await r.promote(name: "recommender", version: 2, alias: "challenger", actor: "t").applied == false)
        #expect(try await r.promote(name: "recommender", version: 1, alias: "champion", actor: "t").applied)
        #expect(try await r.promote(name: "recommender", version: 1, alias: "challenger", actor: "t").applied)
        // Popularity clears the precision floor but does not beat the ALS champion on NDCG.
        let pop = try await r.promote(name: "recommender", version: 3, alias: "champion", actor: "t")
        #expect(pop.gates.map(\.verdict) == [.pass, .fail] && !pop.applied)
    }

    /// The same with numbers the built `mltrack` really produces on the sample tables.
    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
    func shippedPoliciesOnFreshlyTrainedSampleModels() async throws {
        let root = TestPaths.packageRoot.path
        let out = try TestPaths.tempDir("policy-train")
        let logistic = try MLTrackCLI.run(["train", "logistic", root + "/Experiments/gold/customers", "--features",
                                           root + "/Experiments/features/churn.yaml", "--label", "churned",
                                           "--out", out.appendingPathComponent("churn").path, "--json", "--quiet"])
        #expect(logistic.status == 0, "\(logistic.err)")
        let als = try MLTrackCLI.run(["train", "als", root + "/Experiments/gold/interactions", "--user", "user_id", "--item", "item_id",
                                      "--weight", "count", "--factors", "16", "--iterations", "10", "--alpha", "5",
                                      "--regularization", "0.05", "--out", out.appendingPathComponent("rec").path, "--json", "--quiet"])
        #expect(als.status == 0, "\(als.err)")
        func test(_ json: String) throws -> [String: Double] {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return (object?["test"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Double }
        }
        let lt = try test(logistic.out), at = try test(als.out)
        let policies = try PromotionPolicies.load(directory: Self.models)
        let churn = try await Self.store("churn", versions: 1)
        let c = try await Promoter(store: churn, policies: policies, context: Self.churnContext([1: lt]))
            .promote(name: "churn", version: 1, alias: "champion", actor: "t")
        #expect(c.applied, "\(c.gates.map(\.reason))")
        let rec = try await Self.store("recommender", versions: 1)
        let metrics = ["precision_at_k": at["precision"] ?? .nan, "ndcg_at_k": at["ndcg"] ?? .nan]
        let r = try await Promoter(store: rec, policies: policies, context: Self.churnContext([1: metrics]))
            .promote(name: "recommender", version: 1, alias: "champion", actor: "t")
        #expect(r.applied, "\(r.gates.map(\.reason))")
    }

    /// Two promoters racing for one alias: each commit checks the holder it evaluated against, so
    /// exactly the decisions consistent with the history are applied and the alias ends at one of them.
    @Test func racingPromotionsNeverApplyAStaleDecision() async throws {
        let store = try await Self.store("churn", versions: 20)
        var metrics: [Int: [String: Double]] = [:]
        for v in 1...20 { metrics[v] = ["roc_auc": 0.76 + Double(v) * 0.01, "log_loss": 0.4] }
        let promoter = Promoter(store: store, policies: try PromotionPolicies.load(directory: Self.models),
                                context: Self.churnContext(metrics))
        let outcomes = await withTaskGroup(of: PromotionDecision?.self) { group in
            for v in 1...20 {
                group.addTask { try? await promoter.promote(name: "churn", version: v, alias: "champion", actor: "v\(v)") }
            }
            var all: [PromotionDecision?] = []
            for await d in group { all.append(d) }
            return all
        }
        let history = await store.promotionDecisions(name: "churn")
        #expect(history.count == outcomes.compactMap { $0 }.count)
        // Replaying the applied decisions in order reproduces each one's previous holder.
        var holder: Int?
        for d in history where d.applied {
            #expect(d.previousHolder == holder)
            holder = d.version
        }
        #expect(try await store.aliasHolder(name: "churn", alias: "champion") == holder)
    }
}
