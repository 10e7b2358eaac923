import Foundation
import Testing
@testable import Experiments

/// Every bad spec is refused with an error naming the field.
@Suite struct BadSpecTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var yaml: String
        var overrides: [String] = []
        var field: String
        var says: String = ""
        var testDescription: String { "\(field): \(says.isEmpty ? yaml.prefix(40).description : says)" }
    }

    static let classification = """
        name: x
        task: binary_classification
        source: {table: t}
        label: y
        features: {numeric: [a, {column: b, impute: median}]}

        """
    static let recommendation = """
        name: r
        task: recommendation
        source: {table: t}
        interactions: {user: u, item: i}

        """
    static func c(_ extra: String, _ field: String, _ says: String = "", set: [String] = []) -> Case {
        Case(yaml: classification + extra, overrides: set, field: field, says: says)
    }
    static func r(_ extra: String, _ field: String, _ says: String = "", set: [String] = []) -> Case {
        Case(yaml: recommendation + extra, overrides: set, field: field, says: says)
    }
    static func bigSweep() -> String {
        let values = "[" + (1 ... 40).map(String.init).joined(separator: ", ") + "]"
        return "sweep:\n  trainer.params.max_iterations: \(values)\n  trainer.params.tolerance: [0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001, 0.0000001, 0.00000001, 0.000000001, 0.0000000001, 0.00000000001, 0.000000000001, 0.0000000000001, 0.00000000000001, 0.000000000000001, 0.0000000000000001, 0.00000000000000001, 0.000000000000000001, 0.0000000000000000001, 0.00000000000000000001, 0.000000000000000000001, 0.0000000000000000000001, 0.00000000000000000000001, 0.000000000000000000000001, 0.0000000000000000000000001, 0.00000000000000000000000001]\n"
    }

    static let cases: [Case] = [
        // unknown keys at each level
        c("colour: red\n", "colour", "unknown key"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, versoin: 3}"), field: "source.versoin", says: "unknown key"),
        Case(yaml: classification.replacingOccurrences(of: "impute: median", with: "impute: median, scale: 2"), field: "features.numeric[1].scale", says: "unknown key"),
        c("split: {type: random, seeds: 1}\n", "split.seeds", "unknown key"),
        c("split: {type: time, column: d, cutoff: 2024-01-01, seed: 3}\n", "split.seed", "unknown key"),
        c("trainer: {type: logistic_regression, parms: {}}\n", "trainer.parms", "unknown key"),
        c("trainer: {params: {l1: 0.5}}\n", "trainer.params.l1", "unknown key"),
        r("trainer: {params: {c: 1}}\n", "trainer.params.c", "unknown key"),
        c("metrics: {primary: roc_auc, best: f1}\n", "metrics.best", "unknown key"),
        c("register: {model: churn, alias: champion}\n", "register.alias", "unknown key"),
        c("sweep: {trainer.params.c: [1, 2], select: {metric: roc_auc, order: max}}\n", "sweep.select.order", "unknown key"),
        // wrong types
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, version: three}"), field: "source.version", says: "integer"),
        c("seed: -1\n", "seed", "non-negative"),
        c("trainer: {params: {max_iterations: many}}\n", "trainer.params.max_iterations", "integer"),
        c("trainer: {params: {c: [0.1, 1, 10]}}\n", "trainer.params.c", "sweep"),
        Case(yaml: classification.replacingOccurrences(of: "impute: median", with: "standardize: [true, false]"), field: "features.numeric[1].standardize", says: "sweep"),
        c("split: {test_fraction: high}\n", "split.test_fraction", "number"),
        Case(yaml: classification.replacingOccurrences(of: "impute: median", with: "impute: mode"), field: "features.numeric[1].impute", says: "unknown value"),
        // source
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, version: 3, timestamp: 2025-01-01}"), field: "source.timestamp", says: "not both"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, timestamp: yesterday}"), field: "source.timestamp", says: "ISO-8601"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{version: 2}"), field: "source.table", says: "missing"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, filter: 'a ~ 3'}"), field: "source.filter", says: "'~'"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, filter: 'a > 3 or b < 2'}"), field: "source.filter", says: "'or'"),
        Case(yaml: classification.replacingOccurrences(of: "{table: t}", with: "{table: t, filter: 'a = null'}"), field: "source.filter", says: "is null"),
        // top level
        Case(yaml: classification.replacingOccurrences(of: "name: x\n", with: ""), field: "name", says: "missing"),
        Case(yaml: classification.replacingOccurrences(of: "binary_classification", with: "regression"), field: "task", says: "unknown value"),
        Case(yaml: classification.replacingOccurrences(of: "label: y\n", with: ""), field: "label", says: "missing"),
        c("interactions: {user: u, item: i}\n", "interactions", "recommendation"),
        r("features: {numeric: [a]}\n", "features", "interactions"),
        Case(yaml: classification.replacingOccurrences(of: "label: y", with: "label: a"), field: "label", says: "also a feature"),
        Case(yaml: classification.replacingOccurrences(of: "numeric: [a, {column: b, impute: median}]", with: "drop: [z]"), field: "features.spec", says: "no features"),
        // split
        c("split: {type: kfold}\n", "split.type", "unknown value"),
        c("split: {test_fraction: 1.5}\n", "split.test_fraction", "[0, 1)"),
        c("split: {type: per_user}\n", "split.type", "per_user"),
        c("split: {type: time, column: d}\n", "split.cutoff", "missing"),
        r("split: {type: random}\n", "split.type", "per_user"),
        r("split: {min_interactions: 1}\n", "split.min_interactions", "≥ 2"),
        // trainer
        c("trainer: {type: xgboost}\n", "trainer.type", "unknown value"),
        c("trainer: {type: als}\n", "trainer.type", "recommendation"),
        c("trainer: {params: {c: 1, l2: 1}}\n", "trainer.params.l2", "not both"),
        c("trainer: {params: {c: 0}}\n", "trainer.params.c", "> 0"),
        c("trainer: {params: {class_weight: heavy}}\n", "trainer.params.class_weight", "balanced"),
        r("trainer: {params: {factors: 0}}\n", "trainer.params.factors", "outside"),
        r("trainer: {params: {cg_steps: 0}}\n", "trainer.params.cg_steps", "≥ 1"),
        // metrics
        c("metrics: {primary: precision_at_k}\n", "metrics.primary", "not a binary_classification metric"),
        c("metrics: {compute: [roc_auc, auc]}\n", "metrics.compute[1]", "not a metric"),
        r("metrics: {compute: [ndcg_at_k, roc_auc]}\n", "metrics.compute[1]", "not a recommendation metric"),
        c("metrics: {k: 5}\n", "metrics.k", "unknown key"),
        r("metrics: {k: 0}\n", "metrics.k", "≥ 1"),
        // register
        c("register: {model: churn, auto_promote: champion}\n", "register.auto_promote", "policy"),
        c("register: {model: 'churn model'}\n", "register.model", "model name"),
        r("interactions: {user: u, item: i}\n", "spec", "duplicated key"),  // a key twice: Yams refuses it
        // sweep
        c(bigSweep(), "sweep", "at most 1000"),
        c("sweep: {trainer.params.c: 0.5}\n", "sweep.trainer.params.c", "list"),
        c("sweep: {trainer.params.c: []}\n", "sweep.trainer.params.c", "empty"),
        c("sweep: {trainer.params.c: [1, 2], select: {metric: ndcg_at_k}}\n", "sweep.select.metric", "not a binary_classification"),
        c("sweep: {trainer.params.bogus: [1, 2]}\n", "sweep.trainer.params.bogus", "unknown key"),
        c("sweep: {trainer.params.c: [1, -2]}\n", "sweep.trainer.params.c", "> 0"),
        // --set
        c("", "trainer.params.bogus", "from --set", set: ["trainer.params.bogus=1"]),
        c("", "split.test_fraction", "from --set", set: ["split.test_fraction=abc"]),
        c("", "trainer.params.c", "not a YAML value", set: ["trainer.params.c=[1,"]),
        c("", "trainer.params.c", "path=value", set: ["trainer.params.c"]),
        c("", "features.numeric[5]", "out of range", set: ["features.numeric[5].impute=median"]),
        c("", "source.table", "cannot set 'x' inside 't'", set: ["source.table.x=1"]),
        c("", "trainer.params.c", "sweep", set: ["trainer.params.c=[1, 2]"]),
        c("", "a..b", "bad field path", set: ["a..b=1"]),
    ].filter { !$0.field.isEmpty }

    @Test(arguments: cases)
    func badSpecNamesTheField(_ bad: Case) {
        do {
            let spec = try ExperimentSpec(yaml: bad.yaml, file: "bad.yaml", overrides: bad.overrides)
            Issue.record("accepted: \(spec.name)")
        } catch let e as ExperimentError {
            #expect(e.field == bad.field, "\(e)")
            #expect(e.message.contains(bad.says), "\(e)")
        } catch {
            Issue.record("not an ExperimentError: \(error)")
        }
    }

    @Test func thereAreEnoughCases() {
        #expect(Self.cases.count >= 25)
    }

    @Test func errorsInAFeaturesFileNameThatFile() throws {
        let dir = try TestPaths.tempDir("spec-bad-features")
        try "numeric:\n  - {column: a, impute: mode}\n".write(to: dir.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        let text = "name: x\ntask: binary_classification\nsource: {table: t}\nlabel: y\nfeatures: {file: f.yaml}\n"
        #expect {
            try ExperimentSpec(yaml: text, file: "s.yaml", directory: dir.path)
        } throws: { e in
            guard let e = e as? ExperimentError else { return false }
            return e.field == "features.numeric[0].impute" && e.file == dir.path + "/f.yaml"
        }
        #expect {
            try ExperimentSpec(yaml: text.replacingOccurrences(of: "f.yaml", with: "missing.yaml"), file: "s.yaml", directory: dir.path)
        } throws: { ($0 as? ExperimentError)?.field == "features.file" }
        #expect {
            try ExperimentSpec(yaml: text.replacingOccurrences(of: "{file: f.yaml}", with: "{file: f.yaml, drop: [z]}"), directory: dir.path)
        } throws: { ($0 as? ExperimentError)?.field == "features.file" }
    }
}
