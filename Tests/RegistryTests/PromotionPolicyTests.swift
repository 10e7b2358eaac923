import Foundation
import Registry
import Testing
import Tracking

@Suite struct PromotionPolicyTests {
    static let models = TestPaths.packageRoot.appendingPathComponent("Models").path

    @Test func shippedChurnPolicyParses() throws {
        let p = try PromotionPolicy.load(path: Self.models + "/churn.yaml")
        #expect(p.model == "churn" && p.aliases.keys.sorted() == ["champion"])
        #expect(p.gates(for: "champion") == [
            .threshold(metric: "roc_auc", min: 0.75, max: nil),
            .threshold(metric: "log_loss", min: nil, max: 0.5),
            .beatHolder(metric: "roc_auc", by: 0.002, mode: .max),
        ])
        #expect(p.source == Self.models + "/churn.yaml")
    }

    @Test func shippedRecommenderPolicyParses() throws {
        let p = try PromotionPolicy.load(path: Self.models + "/recommender.yaml")
        #expect(p.model == "recommender" && p.aliases.keys.sorted() == ["challenger", "champion"])
        #expect(p.gates(for: "champion") == [
            .threshold(metric: "precision_at_k", min: 0.08, max: nil),
            .beatHolder(metric: "ndcg_at_k", by: 0.002, mode: .max),
        ])
        #expect(p.gates(for: "challenger") == [
            .threshold(metric: "precision_at_k", min: 0.05, max: nil),
            .threshold(metric: "ndcg_at_k", min: 0.15, max: nil),
        ])
    }

    @Test func directoryLoadsBothAndRefusesDuplicates() async throws {
        let all = try PromotionPolicies.load(directory: Self.models)
        #expect(all.byModel.keys.sorted() == ["churn", "recommender"])
        let dir = try TestPaths.tempDir("policies")
        try "model: churn\naliases: {champion: []}\n".write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "model: churn\naliases: {champion: []}\n".write(to: dir.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        try "not a policy".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        await expectRegistryError(.invalidParameterValue, mentioning: ["b.yml", "a.yaml", "churn"]) { try PromotionPolicies.load(directory: dir.path) }
        #expect(try PromotionPolicies.load(directory: dir.path + "/nosuch").byModel.isEmpty)
    }

    @Test func encodesBackToTheSamePolicy() throws {
        let p = try PromotionPolicy.load(path: Self.models + "/recommender.yaml")
        let again = try PromotionPolicy(yaml: try p.yaml())
        #expect(again.aliases == p.aliases && again.model == p.model)
    }

    /// Every malformed policy is an error naming the file and the field.
    static let errors: [(String, String, String)] = [
        ("modle: churn\naliases: {champion: []}", "modle", "unknown key"),
        ("aliases: {champion: []}", "model", "missing required key"),
        ("model: ''\naliases: {champion: []}", "model", "empty"),
        ("model: 'a/b'\naliases: {champion: []}", "model", "'/'"),
        ("model: churn", "aliases", "missing required key"),
        ("model: churn\naliases: {}", "aliases", "lists no alias"),
        ("model: churn\naliases: [champion]", "aliases", "expected"),
        ("model: churn\naliases: {v1: []}", "aliases.v1", "reserved"),
        ("model: churn\naliases: {latest: []}", "aliases.latest", "reserved"),
        ("model: churn\naliases: {champion: {metric: auc, min: 0.5}}", "aliases.champion", "expected a list"),
        ("model: churn\naliases: {champion: [{metric: auc, min: high}]}", "aliases.champion[0].min", "expected a number"),
        ("model: churn\naliases: {champion: [{metric: auc, min: .inf}]}", "aliases.champion[0].min", "finite"),
        ("model: churn\naliases: {champion: [{metric: auc}]}", "aliases.champion[0].metric", "needs min, max or both"),
        ("model: churn\naliases: {champion: [{metric: '', min: 1}]}", "aliases.champion[0].metric", "empty"),
        ("model: churn\naliases: {champion: [{min: 1}]}", "aliases.champion[0]", "a gate is either"),
        ("model: churn\naliases: {champion: [{metric: auc, min: 0.9, max: 0.1}]}", "aliases.champion[0].max", "below min"),
        ("model: churn\naliases: {champion: [{metric: auc, minimum: 0.9}]}", "aliases.champion[0].minimum", "unknown key"),
        ("model: churn\naliases: {champion: [{metric: auc, min: 0.5}, {beat_holder: {metric: auc, by: -0.1}}]}",
         "aliases.champion[1].beat_holder.by", "must be >= 0"),
        ("model: churn\naliases: {champion: [{beat_holder: {metric: auc, mode: maximize}}]}", "aliases.champion[0].beat_holder.mode", "maximize"),
        ("model: churn\naliases: {champion: [{beat_holder: {metric: auc, delta: 0.1}}]}", "aliases.champion[0].beat_holder.delta", "unknown key"),
        ("model: churn\naliases: {champion: [{beat_holder: {by: 0.1}}]}", "aliases.champion[0].beat_holder.metric", "missing required key"),
        ("model: churn\naliases: {champion: [{beat_holder: {metric: auc}, metric: auc}]}", "aliases.champion[0].metric", "unknown key"),
        ("model: churn\naliases: {champion: [{beat_holder: 0.1}]}", "aliases.champion[0].beat_holder", "expected"),
        ("model: [churn\n", "policy", "not valid YAML"),
    ]

    @Test(arguments: errors)
    func errorsNameTheField(_ yaml: String, _ field: String, _ why: String) async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["Models/x.yaml: \(field): ", why]) {
            try PromotionPolicy(yaml: yaml, source: "Models/x.yaml")
        }
    }

    @Test func unreadableFileIsNamed() async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["/nonexistent/churn.yaml", "cannot read"]) {
            try PromotionPolicy.load(path: "/nonexistent/churn.yaml")
        }
    }
}
