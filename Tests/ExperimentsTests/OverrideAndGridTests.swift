import Features
import Foundation
import Testing
import Trainers
@testable import Experiments

@Suite struct OverrideAndGridTests {
    static let churn = TestPaths.packageRoot.appendingPathComponent("Experiments/churn.yaml").path

    @Test func overridesApplyBeforeDecoding() throws {
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: [
            "trainer.params.l2=0.5", "source.version=1", "features.numeric[0].impute=median",
            "split.test_fraction=0.25", "description=tuned",
        ])
        guard case .logisticRegression(let p) = spec.trainer else { Issue.record("trainer"); return }
        #expect(p.regularization == .l2(0.5))
        #expect(spec.source.version == 1)
        #expect(spec.features?.numeric[0] == NumericFeatureSpec(column: "tenure_months", impute: .median, standardize: true))
        #expect(spec.split == .random(testFraction: 0.25, seed: 42))
        #expect(spec.description == "tuned")
    }

    @Test func overrideReplacesTheOtherSpellingAndCreatesAllowedKeys() throws {
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: [
            "trainer.params.c=4", "source.filter=tenure_months > 3", "split.seed=9",
            "features.numeric[3].standardize=true", "sweep.trainer.params.c=[0.1, 1, 10]",
        ])
        guard case .logisticRegression(let p) = spec.trainer else { Issue.record("trainer"); return }
        #expect(p.regularization == .c(4))  // the file's l2 is replaced, not a conflict
        #expect(spec.source.filter?.conditions == [.compare(column: "tenure_months", op: .gt, literal: .number("3"))])
        #expect(spec.split == .random(testFraction: 0.2, seed: 9))
        // A bare entry takes options by becoming {column: …}.
        #expect(spec.features?.numeric[3] == NumericFeatureSpec(column: "support_calls", impute: .median, standardize: true))
        #expect(spec.sweep?.axes.map(\.path.description) == ["trainer.params.c"])
        #expect(try spec.grid().map(\.label) == ["c=0.1", "c=1", "c=10"])
    }

    @Test func overrideOnInlineListAndFeaturesFileSwap() throws {
        let dir = try TestPaths.tempDir("spec-override")
        try "numeric: [a, b]\n".write(to: dir.appendingPathComponent("f1.yaml"), atomically: true, encoding: .utf8)
        try "numeric: [z]\ncategorical: [k]\n".write(to: dir.appendingPathComponent("f2.yaml"), atomically: true, encoding: .utf8)
        let text = "name: x\ntask: binary_classification\nsource: {table: t.csv}\nlabel: y\nfeatures: {file: f1.yaml}\n"
        let a = try ExperimentSpec(yaml: text, directory: dir.path, overrides: ["features.numeric[1]=c", "features.drop=[id]"])
        #expect(a.features?.numeric.map(\.column) == ["a", "c"])
        #expect(a.features?.drop == ["id"])
        let b = try ExperimentSpec(yaml: text, directory: dir.path, overrides: ["features.file=f2.yaml"])
        #expect(b.features?.usedColumns == ["z", "k"])
        #expect(b.featuresFile == "f2.yaml")
        #expect(b.resolved().source.table == dir.path + "/t.csv")
    }

    @Test func gridOrderAndLabels() throws {
        let spec = try ExperimentSpec(yaml: """
            name: g
            task: recommendation
            source: {table: t}
            interactions: {user: u, item: i}
            trainer: {params: {factors: 8, seed: 3}}
            sweep:
              trainer.params.factors: [16, 32]
              trainer.params.alpha: [1, 5.5, 20]
              split.seed: [1, 2]
              select: {metric: ndcg_at_k}
            """)
        #expect(spec.sweep?.pointCount == 12)
        #expect(spec.sweep?.select == SweepSpec.Select(metric: "ndcg_at_k", mode: "max"))
        let grid = try spec.grid()
        #expect(grid.count == 12)
        #expect(grid.prefix(4).map(\.label) == [
            "factors=16,alpha=1,seed=1", "factors=16,alpha=1,seed=2",
            "factors=16,alpha=5.5,seed=1", "factors=16,alpha=5.5,seed=2",
        ])
        #expect(grid.last?.label == "factors=32,alpha=20,seed=2")
        let third = grid[2].spec
        #expect(third.sweep == nil)
        #expect(third.trainer == .als(ALS.Parameters(factors: 16, alpha: 5.5, seed: 3)))
        #expect(third.split == .perUser(testFraction: 0.2, seed: 1, minInteractions: 2))
        // Two axes ending in the same key are labelled by their full paths.
        let twin = try ExperimentSpec(yaml: """
            name: g
            task: recommendation
            source: {table: t}
            interactions: {user: u, item: i}
            sweep: {trainer.params.seed: [1], split.seed: [5, 6]}
            """)
        #expect(try twin.grid().map(\.label) == ["trainer.params.seed=1,split.seed=5", "trainer.params.seed=1,split.seed=6"])
        #expect(twin.sweep?.select == SweepSpec.Select(metric: "precision_at_k", mode: "max"))
    }

    @Test func noSweepIsOnePoint() throws {
        let spec = try ExperimentSpec.load(path: Self.churn)
        let grid = try spec.grid()
        #expect(grid.count == 1 && grid[0].label == "" && grid[0].spec == spec)
    }

    @Test func logLossSelectsByMinimum() throws {
        let spec = try ExperimentSpec(yaml: """
            name: g
            task: binary_classification
            source: {table: t}
            label: y
            features: {numeric: [x]}
            metrics: {primary: log_loss}
            sweep: {trainer.params.max_iterations: [10, 20]}
            """)
        #expect(spec.sweep?.select == SweepSpec.Select(metric: "log_loss", mode: "min"))
        #expect(try spec.grid().map(\.label) == ["max_iterations=10", "max_iterations=20"])
    }
}
