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

/// A small local builder for the benchmark table (the general `Interactions.build(from:)` lives
/// in Features): integer user/item ids → dense indexes in ascending id order (IdMap's order for
/// integer ids), the training rows (heldout = false) summed into a CSR matrix of counts, and the
/// held-out rows as a 0/1 matrix over the same indexes (held-out ids unseen in training dropped).
enum BenchInteractions {
    static func load(_ path: String) throws -> (train: Interactions, heldOut: SparseMatrix<Float>) {
        let table = try GoldTable.open(path).read(columns: ["user_id", "item_id", "count", "heldout"])
        let users = try ints(table, "user_id"), items = try ints(table, "item_id")
        let counts = try floats(table, "count"), held = try bools(table, "heldout")
        let userIds = Array(Set(zip(users, held).filter { !$0.1 }.map(\.0))).sorted()
        let itemIds = Array(Set(zip(items, held).filter { !$0.1 }.map(\.0))).sorted()
        let userIndex = Dictionary(uniqueKeysWithValues: userIds.enumerated().map { ($1, $0) })
        let itemIndex = Dictionary(uniqueKeysWithValues: itemIds.enumerated().map { ($1, $0) })
        var train: [(row: Int, column: Int, value: Float)] = [], test: [(row: Int, column: Int, value: Float)] = []
        train.reserveCapacity(users.count)
        for r in 0 ..< users.count {
            guard let u = userIndex[users[r]], let i = itemIndex[items[r]] else { continue }
            if held[r] { test.append((u, i, 1)) } else { train.append((u, i, counts[r])) }
        }
        let m = try SparseMatrix<Float>(rows: userIds.count, columns: itemIds.count, entries: train)
        let t = try SparseMatrix<Float>(rows: userIds.count, columns: itemIds.count, entries: test)
            .mapValues { _ in 1 }
        let interactions = try Interactions(matrix: m, users: IdMap(ids: userIds.map(String.init)),
                                            items: IdMap(ids: itemIds.map(String.init)))
        return (interactions, t)
    }

    private static func column(_ t: Table, _ name: String) throws -> Column {
        guard let c = t.column(named: name) else { throw ValidationError("\(name): no such column") }
        guard c.nullCount == 0 else { throw ValidationError("\(name): \(c.nullCount) null values") }
        return c
    }

    static func ints(_ t: Table, _ name: String) throws -> [Int64] {
        switch try column(t, name).data {
        case .int64(let v): return v
        case .int32(let v): return v.map(Int64.init)
        default: throw ValidationError("\(name): expected an integer column")
        }
    }

    static func floats(_ t: Table, _ name: String) throws -> [Float] {
        switch try column(t, name).data {
        case .int64(let v): return v.map { Float($0) }
        case .int32(let v): return v.map { Float($0) }
        case .float(let v): return v
        case .double(let v): return v.map { Float($0) }
        default: throw ValidationError("\(name): expected a numeric column")
        }
    }

    static func bools(_ t: Table, _ name: String) throws -> [Bool] {
        guard case .bool(let v) = try column(t, name).data else { throw ValidationError("\(name): expected a boolean column") }
        return v
    }
}
