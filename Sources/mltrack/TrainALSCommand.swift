import ArgumentParser
import Features
import Foundation
import GoldTables
import Linalg
import ModelPackage
import Trainers

/// `mltrack train als TABLE --user COL --item COL --weight one|count|COLUMN --out DIR`: a thin shell
/// over `ALSTrainingRun` (interactions, per-user split, fit, ranking metrics) and `ModelPackage.save`.
struct TrainALSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "als",
        abstract: "Train an ALS recommender on an event table and save it as a model package.",
        discussion: """
        A fraction of each user's interactions is held out; precision, recall, NDCG and MAP at k and \
        catalog coverage are measured on it (explicit feedback: RMSE and MAE too). Progress goes to \
        stderr, the summary to stdout.
        """
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "The user id column (string or integer).") var user: String
    @Option(help: "The item id column (string or integer).") var item: String
    @Option(help: "Cell value: one (1 per pair), count (rows per pair) or a numeric COLUMN summed per pair.")
    var weight = "count"
    @Option(help: "The model package directory to write.") var out: String
    @Option(help: "implicit (counts, confidence 1 + α·r) or explicit (ratings).") var feedback = "implicit"
    @Option(help: "Latent factors k.") var factors = 64
    @Option(help: "λ.") var regularization: Float = 0.01
    @Option(help: "α in the confidence 1 + α·r (implicit).") var alpha: Float = 1
    @Option(help: "ALS sweeps.") var iterations = 15
    @Option(name: .customLong("cg-steps"), help: "Conjugate-gradient steps per row (implicit).") var cgSteps = 3
    @Option(help: "Seed of the initial factors and of the split.") var seed: UInt64 = 42
    @Option(help: "Threads for ALS's loops.") var threads = 2
    @Option(name: .customLong("test-fraction"), help: "Fraction of each user's interactions held out.")
    var testFraction = 0.2
    @Option(help: "k of the ranking metrics.") var k = 10
    @Flag(help: "Replace an existing package at --out.") var overwrite = false
    @Flag(help: "Print no progress lines.") var quiet = false
    @Flag(help: "Print the summary as one JSON object.") var json = false

    func validate() throws {
        if ALS.Feedback(rawValue: feedback) == nil {
            throw ValidationError("--feedback must be implicit or explicit (got '\(feedback)').")
        }
        if !(testFraction >= 0 && testFraction < 1) { throw ValidationError("--test-fraction must be in [0, 1).") }
        if threads < 1 { throw ValidationError("--threads must be ≥ 1.") }
        if k < 1 { throw ValidationError("--k must be ≥ 1.") }
    }

    var interactionWeight: InteractionWeight {
        switch weight {
        case "one": .one
        case "count": .count
        default: .column(weight)
        }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        let gold = try table.open()
        var columns = [user, item]
        if case .column(let w) = interactionWeight { columns.append(w) }
        let data = try gold.read(columns: columns)
        let parameters = ALS.Parameters(factors: factors, regularization: regularization,
                                        feedback: ALS.Feedback(rawValue: feedback) ?? .implicit, alpha: alpha,
                                        iterations: iterations, cgSteps: cgSteps, seed: seed, threads: threads)
        try parameters.validate()
        let r = try ALSTrainingRun(user: user, item: item, weight: interactionWeight, parameters: parameters,
                                   testFraction: testFraction, k: k)
            .run(data, progress: ProgressPrinter.handler("als", quiet: quiet))
        let manifest = try ModelPackage.save(
            model: r.model, pipeline: nil, signature: .als, lineage: try lineage(gold),
            to: URL(fileURLWithPath: out),
            options: .init(overwrite: overwrite, inputExample: InputExample(
                columns: ["user_id", "k"], data: r.model.users.ids.prefix(3).map { [.string($0), .int(Int64(k))] })))
        let path = URL(fileURLWithPath: out).standardizedFileURL.path
        if json {
            var object: [String: Any] = [
                "model_kind": ALSModel.flavor, "users": r.model.users.count, "items": r.model.items.count,
                "train_interactions": r.train.nonZeros, "test_interactions": r.test.nonZeros, "factors": factors,
                "feedback": feedback, "iterations": iterations, "package": path, "model_uuid": manifest.modelUUID,
            ]
            if let m = r.ranking {
                object["test"] = ["k": m.k, "users": m.users, "precision": m.precision, "recall": m.recall,
                                  "ndcg": m.ndcg, "map": m.map, "coverage": m.coverage]
            }
            if let b = r.popularityBaseline {
                object["popularity_baseline"] = ["precision": b.precision, "recall": b.recall, "ndcg": b.ndcg, "map": b.map,
                                                 "coverage": b.coverage]
            }
            if let rmse = r.rmse, let mae = r.mae { object["test_rmse"] = rmse; object["test_mae"] = mae }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            return
        }
        var lines = [
            "model:   ALS (\(feedback)), \(factors) factors, \(iterations) iterations",
            "data:    \(r.model.users.count) users × \(r.model.items.count) items; \(r.train.nonZeros) train, \(r.test.nonZeros) held-out interactions",
        ]
        if let m = r.ranking {
            lines += [
                "test@\(m.k) (\(m.users) users): precision \(fmt(m.precision))  recall \(fmt(m.recall))  NDCG \(fmt(m.ndcg))  MAP \(fmt(m.map))",
                "coverage@\(m.k): \(fmt(m.coverage))",
            ]
            if let b = r.popularityBaseline {
                lines.append("popularity baseline@\(b.k): precision \(fmt(b.precision))  recall \(fmt(b.recall))  NDCG \(fmt(b.ndcg))  MAP \(fmt(b.map))")
            }
        } else {
            lines.append("test:    none (no held-out interactions)")
        }
        if let rmse = r.rmse, let mae = r.mae { lines.append("test ratings: RMSE \(fmt(rmse))  MAE \(fmt(mae))") }
        lines.append("saved:   \(path)")
        print(lines.joined(separator: "\n"))
    }
}
