import ArgumentParser
import Dispatch
import Features
import Foundation
import GoldTables
import Linalg
import Trainers

/// `mltrack bench-train als PATH`: times implicit-feedback ALS `fit` on a benchmark Parquet file
/// (columns user_id, item_id, count, heldout — `Benchmarks/gen_als_data.py`) and prints
/// `{"rows", "best_s", "median_s", "precision_at_10", "ndcg_at_10", …}`. The CSR matrix is built
/// once, untimed; the loss is not computed; precision@10/NDCG@10 are measured on the held-out rows
/// with the model of the last run.
struct BenchTrainALSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "als",
        abstract: "Time ALS training on a (user_id, item_id, count, heldout) table; prints JSON.",
        shouldDisplay: false
    )

    @Argument(help: "The benchmark table (Parquet file, Delta folder or CSV).")
    var path: String

    @Option(help: "Latent factors k.") var factors = 64
    @Option(help: "ALS sweeps.") var iterations = 15
    @Option(help: "λ.") var regularization: Float = 0.05
    @Option(help: "α in the confidence 1 + α·count.") var alpha: Float = 10
    @Option(name: .customLong("cg-steps"), help: "Conjugate-gradient steps per row.") var cgSteps = 3
    @Option(help: "Threads for ALS's loops (and BLAS outside them).") var threads = 2
    @Option(help: "Timed runs (no warm-up; each is a full fit from the seed).") var runs = 3
    @Option(help: "Seed of the initial factors.") var seed: UInt64 = 1

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be ≥ 1.") }
        if threads < 1 { throw ValidationError("--threads must be ≥ 1.") }
    }

    func run() throws {
        Parallel.configure(threads: threads)
        let (train, heldOut) = try BenchInteractions.load(path)
        let als = ALS(.init(factors: factors, regularization: regularization, feedback: .implicit, alpha: alpha,
                            iterations: iterations, cgSteps: cgSteps, seed: seed, threads: threads, computeLoss: false))
        var times: [Double] = []
        var model: ALSModel?
        for _ in 0 ..< runs {
            let start = DispatchTime.now().uptimeNanoseconds
            model = try als.fit(train)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard let model else { throw ValidationError("no run") }
        let metrics = try model.rankingMetrics(heldOut: heldOut, k: 10)
        times.sort()
        let json: [String: Any] = [
            "rows": train.matrix.nonZeros, "best_s": times[0], "median_s": times[times.count / 2], "runs": runs,
            "precision_at_10": metrics.precision, "ndcg_at_10": metrics.ndcg, "users_evaluated": metrics.users,
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// The benchmark table as training interactions and held-out pairs: the training rows
/// (heldout = false) through `Interactions.build` with the summed `count` column, the held-out rows
/// over the same id maps as a 0/1 matrix (ids unseen in training dropped).
enum BenchInteractions {
    static func load(_ path: String) throws -> (train: Interactions, heldOut: SparseMatrix<Float>) {
        let table = try GoldTable.open(path).read(columns: ["user_id", "item_id", "count", "heldout"])
        guard let c = table.column(named: "heldout"), c.nullCount == 0, case .bool(let held) = c.data else {
            throw ValidationError("heldout: expected a boolean column without nulls")
        }
        let train = try Interactions.build(from: table.filter(held.map { !$0 }), user: "user_id", item: "item_id",
                                           weight: .column("count"))
        let test = try Interactions.build(from: table.filter(held), user: "user_id", item: "item_id", weight: .one,
                                          users: train.users, items: train.items)
        return (train, test.interactions.matrix)
    }
}
