import Features
import Foundation
import Testing
import Trainers
@testable import Experiments

@Suite struct ShippedSpecTests {
    static let experiments = TestPaths.packageRoot.appendingPathComponent("Experiments").path

    @Test func churnSpecParsesAndResolves() throws {
        let spec = try ExperimentSpec.load(path: Self.experiments + "/churn.yaml")
        #expect(spec.name == "churn")
        #expect(spec.task == .binaryClassification)
        #expect(spec.label == "churned")
        #expect(spec.featuresFile == "features/churn.yaml")
        let fileSpec = try FeatureSpec.load(path: Self.experiments + "/features/churn.yaml")
        #expect(spec.features == fileSpec)
        #expect(spec.split == .random(testFraction: 0.2, seed: 42))
        #expect(spec.trainer == .logisticRegression(.init(regularization: .l2(1.0))))
        #expect(spec.metrics.primary == "roc_auc")
        #expect(spec.metrics.compute == MetricsSpec.classification)
        #expect(spec.register == RegisterSpec(model: "churn", policy: "../Models/churn.yaml", autoPromote: "champion"))
        #expect(spec.sweep == nil)
        let r = spec.resolved()
        #expect(r.source.table == Self.experiments + "/gold/customers")
        #expect(r.tablePath == r.source.table)
        #expect(FileManager.default.fileExists(atPath: r.source.table + "/_delta_log"))
        #expect(r.register?.policy == TestPaths.packageRoot.appendingPathComponent("Models/churn.yaml").path)
        let params = Dictionary(try r.params().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(params["trainer.params.l2"] == "1.0")
        #expect(params["trainer.params.max_iterations"] == "100")
        #expect(params["split.seed"] == "42")
        #expect(params["features.numeric.0.column"] == "tenure_months")
        #expect(params["features.drop"] == "[customer_id, churned]")
        #expect(params.keys.allSatisfy { !$0.contains("[") })
        // The resolved YAML decodes back to the same spec.
        let again = try ExperimentSpec(yaml: try spec.yaml(), directory: spec.directory)
        #expect(again.trainer == spec.trainer && again.features == spec.features && again.split == spec.split)
    }

    @Test func recommendationsSpecParsesAndResolves() throws {
        let spec = try ExperimentSpec.load(path: Self.experiments + "/recommendations.yaml")
        #expect(spec.task == .recommendation)
        #expect(spec.interactions == InteractionsSpec(user: "user_id", item: "item_id", weight: .count))
        #expect(spec.split == .perUser(testFraction: 0.2, seed: 42, minInteractions: 2))
        let expected = ALS.Parameters(factors: 16, regularization: 0.05, feedback: .implicit, alpha: 5, iterations: 10,
                                      cgSteps: 3, seed: 42)
        #expect(spec.trainer == .als(expected))
        #expect(spec.metrics == MetricsSpec(compute: MetricsSpec.ranking, primary: "precision_at_k", k: 10, threshold: nil))
        #expect(spec.label == nil && spec.features == nil)
        #expect(spec.resolved().source.table == Self.experiments + "/gold/interactions")
        let params = Dictionary(try spec.params().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(params["trainer.params.regularization"] == "0.05")
        #expect(params["trainer.params.alpha"] == "5.0")
        #expect(params["split.test_fraction"] == "0.2")
        #expect(params["interactions.weight"] == "count")
        let yaml = try spec.yaml()
        #expect(yaml.contains("test_fraction: 0.2\n") && yaml.contains("regularization: 0.05\n") && !yaml.contains("e-"))
    }

    @Test func defaultsFillEverySection() throws {
        let spec = try ExperimentSpec(yaml: """
            name: d
            task: recommendation
            source: {table: t}
            interactions: {user: u, item: i}
            seed: 7
            """)
        #expect(spec.description == "")
        #expect(spec.interactions?.weight == .count)
        #expect(spec.split == .perUser(testFraction: 0.2, seed: 7, minInteractions: 2))
        #expect(spec.trainer == .als(ALS.Parameters(seed: 7)))
        #expect(spec.metrics == .default(for: .recommendation))
        #expect(spec.register == nil)
        let c = try ExperimentSpec(yaml: """
            name: c
            task: binary_classification
            source: {table: t}
            label: y
            features: {numeric: [x]}
            trainer: {params: {c: 2}}
            metrics: {compute: [log_loss], primary: pr_auc}
            sweep: {trainer.params.c: [1, 2]}
            """)
        #expect(c.split == .random(testFraction: 0.2, seed: 42))
        #expect(c.trainer == .logisticRegression(.init(regularization: .c(2))))
        #expect(c.metrics.compute == ["pr_auc", "log_loss"])
        #expect(c.metrics.threshold == 0.5 && c.metrics.k == nil)
        #expect(c.sweep?.select == SweepSpec.Select(metric: "pr_auc", mode: "max"))
    }
}

@Suite struct SpecWorkflowTests {
    @Test func shippedSpecsMapToTheTrainingWorkflows() throws {
        let dir = ShippedSpecTests.experiments
        let churn = try ExperimentSpec.load(path: dir + "/churn.yaml", overrides: ["source.filter=tenure_months > 0"])
        let run = try churn.logisticTrainingRun()
        #expect(run.label == "churned")
        #expect(run.split == .random(testFraction: 0.2, seed: 42))
        #expect(run.parameters.regularization == .l2(1))
        #expect(churn.requiredColumns == ["tenure_months", "monthly_charges", "total_charges", "support_calls", "partner", "senior",
                                          "contract", "payment_method", "region", "signup_date", "last_active", "churned"])
        let rec = try ExperimentSpec.load(path: dir + "/recommendations.yaml")
        let als = try rec.alsTrainingRun()
        #expect(als.weight == .count && als.k == 10 && als.testFraction == 0.2 && als.parameters.factors == 16)
        #expect(rec.requiredColumns == ["user_id", "item_id"])
        #expect(throws: ExperimentError.self) { try rec.logisticTrainingRun() }
        let seeded = try ExperimentSpec.load(path: dir + "/recommendations.yaml", overrides: ["split.seed=7"])
        #expect { try seeded.alsTrainingRun() } throws: { ($0 as? ExperimentError)?.field == "split.seed" }
    }
}
