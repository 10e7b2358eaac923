import ArgumentParser
import Features
import Foundation
import GoldTables
import Linalg
import ModelPackage
import Trainers

/// `mltrack train logistic TABLE --features SPEC --label COLUMN --out DIR`: a thin shell over
/// `LogisticTrainingRun` (split, pipeline fit on the train rows, fit, test metrics) and
/// `ModelPackage.save`.
struct TrainLogisticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistic",
        abstract: "Train a binary logistic regression (churn) and save it as a model package.",
        discussion: """
        The rows are split (random by default, or by time), the feature spec is fitted on the training \
        rows only, and the model is evaluated on the test rows. Progress goes to stderr, the summary \
        to stdout.
        """
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "The feature spec (YAML; see docs/design/features.md).")
    var features: String

    @Option(help: "The label column: boolean, or integer/float holding 0 and 1.")
    var label: String

    @Option(help: "The model package directory to write.")
    var out: String

    @Option(name: .customLong("c"), help: "Inverse L2 strength (scikit-learn's C; default 1).")
    var c: Double?

    @Option(help: "L2 strength λ = 1/C (instead of --c).")
    var l2: Double?

    @Option(name: .customLong("class-weight"), help: "Class weights: none or balanced.")
    var classWeight = "none"

    @Option(help: "Solver: auto, newton or lbfgs.")
    var solver = "auto"

    @Option(help: "Stopping tolerance (max |gradient| of the normalized objective).")
    var tolerance = 1e-4

    @Option(name: .customLong("max-iterations"), help: "At most this many solver iterations.")
    var maxIterations = 100

    @Option(name: .customLong("test-fraction"), help: "Random split: fraction of rows held out for testing.")
    var testFraction: Double?

    @Option(help: "Random split: the seed.")
    var seed: UInt64 = 42

    @Option(name: .customLong("split-time"), help: "Time split: a date or timestamp column (rows before --cutoff train).")
    var splitTime: String?

    @Option(help: "Time split: the cut-off (YYYY-MM-DD or ISO-8601).")
    var cutoff: String?

    @Option(help: "Threads for BLAS and mltrack's loops.")
    var threads = 2

    @Flag(help: "Replace an existing package at --out.")
    var overwrite = false

    @Flag(help: "Print no progress lines.")
    var quiet = false

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    func validate() throws {
        if c != nil && l2 != nil { throw ValidationError("Give --c or --l2, not both.") }
        if classWeight != "none" && classWeight != "balanced" {
            throw ValidationError("--class-weight must be none or balanced (got '\(classWeight)').")
        }
        if LogisticRegression.Solver(rawValue: solver) == nil {
            throw ValidationError("--solver must be one of auto, newton, lbfgs (got '\(solver)').")
        }
        if (splitTime == nil) != (cutoff == nil) { throw ValidationError("--split-time and --cutoff go together.") }
        if splitTime != nil && testFraction != nil { throw ValidationError("Give --test-fraction or --split-time, not both.") }
        if let f = testFraction, !(f >= 0 && f < 1) { throw ValidationError("--test-fraction must be in [0, 1) (got \(f)).") }
        if threads < 1 { throw ValidationError("--threads must be ≥ 1.") }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        let spec = try FeatureSpec.load(path: features)
        let gold = try table.open()
        let data = try gold.read()
        var parameters = LogisticRegression.Parameters(
            regularization: l2.map { .l2($0) } ?? .c(c ?? 1), classWeight: classWeight == "balanced" ? .balanced : .none,
            solver: LogisticRegression.Solver(rawValue: solver) ?? .auto, tolerance: tolerance, maxIterations: maxIterations)
        parameters.fitIntercept = true
        let split: LogisticTrainingRun.SplitRule = if let splitTime, let cutoff {
            .byTime(column: splitTime, cutoff: cutoff)
        } else {
            .random(testFraction: testFraction ?? 0.2, seed: seed)
        }
        let result = try LogisticTrainingRun(spec: spec, label: label, split: split, parameters: parameters)
            .run(data, progress: ProgressPrinter.handler("logistic", quiet: quiet))

        let inputs = result.pipeline.inputs.map(\.name)
        let manifest = try ModelPackage.save(
            model: result.model, pipeline: result.pipeline,
            signature: try ModelSignature.logistic(pipeline: result.pipeline, schema: gold.schema),
            lineage: try lineage(gold), to: URL(fileURLWithPath: out),
            options: .init(overwrite: overwrite,
                           inputExample: try InputExample(table: data.rows(at: Array(result.split.train.prefix(5))), columns: inputs)))
        print(json ? try summaryJSON(result, manifest: manifest) : summaryText(result))
    }

    private func summaryText(_ r: LogisticTrainingRun.Result) -> String {
        let m = r.model
        var lines = [
            "model:      logistic regression, \(m.featureNames.count) features, solver \(m.solver.rawValue), \(m.iterations) iterations\(m.converged ? "" : " (NOT converged)")",
            "rows:       \(r.split.train.count) train, \(r.split.test.count) test\(r.split.excluded > 0 ? ", \(r.split.excluded) excluded (null split time)" : "")",
            "train loss: \(fmt(m.loss))",
        ]
        if let s = r.metrics {
            let cm = s.confusion
            lines += [
                "test ROC AUC:  \(fmt(s.rocAUC))",
                "test PR AUC:   \(fmt(s.averagePrecision))",
                "test log loss: \(fmt(s.logLoss))",
                "test @0.5:     accuracy \(fmt(cm.accuracy))  precision \(fmt(cm.precision))  recall \(fmt(cm.recall))  F1 \(fmt(cm.f1))",
                "test positive rate: \(fmt(s.positiveRate))",
            ]
        } else if let note = r.metricsNote {
            lines.append("test metrics: none (\(note))")
        }
        lines.append("saved:      \(URL(fileURLWithPath: out).standardizedFileURL.path)")
        return lines.joined(separator: "\n")
    }

    private func summaryJSON(_ r: LogisticTrainingRun.Result, manifest: ModelManifest) throws -> String {
        var test: [String: Any] = ["rows": r.split.test.count]
        if let s = r.metrics {
            test = ["rows": s.rows, "roc_auc": s.rocAUC, "pr_auc": s.averagePrecision, "log_loss": s.logLoss,
                    "accuracy": s.confusion.accuracy, "precision": s.confusion.precision, "recall": s.confusion.recall,
                    "f1": s.confusion.f1, "positive_rate": s.positiveRate, "threshold": s.confusion.threshold]
        }
        let object: [String: Any] = [
            "model_kind": LogisticModel.flavor, "features": r.model.featureNames.count, "solver": r.model.solver.rawValue,
            "iterations": r.model.iterations, "converged": r.model.converged, "train_loss": r.model.loss,
            "train_rows": r.split.train.count, "test": test, "excluded_rows": r.split.excluded,
            "package": URL(fileURLWithPath: out).standardizedFileURL.path, "model_uuid": manifest.modelUUID,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}

/// Six significant digits, as the summaries print metrics.
func fmt(_ x: Double) -> String { String(format: "%.6g", x) }
