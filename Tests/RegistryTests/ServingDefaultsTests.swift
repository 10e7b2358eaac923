import Features
import Foundation
import Registry
import Testing
import Tracking

/// The `serving:` section of promotion policies (`ServingDefaults`).
@Suite struct ServingDefaultsTests {
    static let base = "model: churn\naliases: {champion: []}\n"

    @Test func shippedPoliciesServingSections() throws {
        let churn = try PromotionPolicy.load(path: PromotionPolicyTests.models + "/churn.yaml").serving
        #expect(churn.unknownCategories == .reject)
        #expect(churn.defaultK == 10 && churn.maxBodyBytes == 1_048_576 && churn.pollIntervalSeconds == 2)
        let recommender = try PromotionPolicy.load(path: PromotionPolicyTests.models + "/recommender.yaml").serving
        #expect(recommender == ServingDefaults())
    }

    @Test func absentSectionIsAllDefaults() throws {
        let d = try PromotionPolicy(yaml: Self.base).serving
        #expect(d.unknownCategories == .bucket && d.defaultK == 10 && d.maxBodyBytes == 1_048_576 && d.pollIntervalSeconds == 2)
        #expect(try PromotionPolicy(yaml: Self.base + "serving:\n").serving == ServingDefaults())
        #expect(try PromotionPolicy(yaml: Self.base + "serving: {}\n").serving == ServingDefaults())
        // A policy with default serving writes no serving section.
        #expect(try !PromotionPolicy(yaml: Self.base).yaml().contains("serving"))
    }

    @Test func everyFieldParsesAndRoundTrips() throws {
        let p = try PromotionPolicy(yaml: Self.base + """
            serving:
              unknown_categories: reject
              default_k: 25
              max_body_bytes: 4096
              poll_interval_seconds: 0.5
            """)
        #expect(p.serving == (try ServingDefaults(unknownCategories: .reject, defaultK: 25, maxBodyBytes: 4096, pollIntervalSeconds: 0.5)))
        let again = try PromotionPolicy(yaml: try p.yaml())
        #expect(again.serving == p.serving && again.aliases == p.aliases)
        #expect(try PromotionPolicy(yaml: Self.base + "serving: {unknown_categories: bucket, default_k: 1}").serving
            == (try ServingDefaults(unknownCategories: .bucket, defaultK: 1)))
        // Bounds are inclusive.
        let edges = try PromotionPolicy(yaml: Self.base + "serving: {default_k: 10000, max_body_bytes: 1073741824, poll_interval_seconds: 3600}").serving
        #expect(edges.defaultK == 10_000 && edges.maxBodyBytes == 1 << 30 && edges.pollIntervalSeconds == 3600)
        #expect(try PromotionPolicy(yaml: Self.base + "serving: {poll_interval_seconds: 0.1, max_body_bytes: 1}").serving.pollIntervalSeconds == 0.1)
    }

    static let errors: [(String, String, String)] = [
        ("serving: {unknown_category: reject}", "serving.unknown_category", "unknown key"),
        ("serving: {unknown_categories: strict}", "serving.unknown_categories", "unknown value 'strict' (expected one of: bucket, reject)"),
        ("serving: {unknown_categories: 1}", "serving.unknown_categories", "unknown value '1'"),
        ("serving: {default_k: 0}", "serving.default_k", "must be in 1...10000, got 0"),
        ("serving: {default_k: 10001}", "serving.default_k", "got 10001"),
        ("serving: {default_k: 2.5}", "serving.default_k", "expected an integer"),
        ("serving: {default_k: ten}", "serving.default_k", "expected an integer"),
        ("serving: {max_body_bytes: 0}", "serving.max_body_bytes", "must be in 1...1073741824"),
        ("serving: {max_body_bytes: 1073741825}", "serving.max_body_bytes", "got 1073741825"),
        ("serving: {poll_interval_seconds: 0}", "serving.poll_interval_seconds", "0.1...3600"),
        ("serving: {poll_interval_seconds: -1}", "serving.poll_interval_seconds", "got -1"),
        ("serving: {poll_interval_seconds: .inf}", "serving.poll_interval_seconds", "got inf"),
        ("serving: {poll_interval_seconds: .nan}", "serving.poll_interval_seconds", "got nan"),
        ("serving: {poll_interval_seconds: soon}", "serving.poll_interval_seconds", "expected a number"),
        ("serving: [reject]", "serving", "expected a mapping"),
        ("serving: reject", "serving", "expected a mapping"),
    ]

    @Test(arguments: errors)
    func errorsNameTheField(_ yaml: String, _ field: String, _ why: String) async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["Models/x.yaml: \(field): ", why]) {
            try PromotionPolicy(yaml: Self.base + yaml, source: "Models/x.yaml")
        }
    }

    @Test func initializerChecksRanges() async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["serving.default_k", "got 0"]) {
            try ServingDefaults(unknownCategories: .reject, defaultK: 0)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["serving.poll_interval_seconds"]) {
            try ServingDefaults(unknownCategories: .bucket, pollIntervalSeconds: .nan)
        }
    }
}
