import Features
import GoldTables
import Linalg

/// Alternating least squares matrix factorization for recommendations: implicit feedback
/// (Hu, Koren & Volinsky 2008, solved with conjugate gradient as in the `implicit` package) or
/// explicit ratings (weighted-λ, Zhou et al. 2008). Float32 factors; per-row work runs in parallel
/// and is deterministic given the seed. See `docs/design/als.md`.
///
/// ```swift
/// let als = ALS(.init(factors: 64, regularization: 0.05, alpha: 10, iterations: 15, seed: 1))
/// let model = try als.fit(interactions) { print($0.iteration, $0.loss ?? .nan) }
/// model.recommend(user: "u42", k: 10, excludeSeen: true)   // [(item, score)]
/// ```
public struct ALS: Sendable {
    public var parameters: Parameters

    public init(_ parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Factorizes `interactions` (users × items): starts from ``initialFactors(rows:factors:seed:stream:)``
    /// (stream 0 users, 1 items), then per iteration solves every user's factors from the item
    /// factors, then every item's from the user factors (on the transposed matrix).
    public func fit(_ interactions: Interactions, progress: ProgressHandler? = nil) throws -> ALSModel {
        let p = parameters
        try p.validate()
        let m = interactions.matrix
        guard m.rows == interactions.users.count, m.columns == interactions.items.count else {
            throw ALSError.inconsistentModel("matrix is \(m.rows) × \(m.columns) for \(interactions.users.count) users, \(interactions.items.count) items")
        }
        if let bad = m.values.firstIndex(where: { !$0.isFinite }) {
            var row = 0
            while m.rowPointers[row + 1] <= bad { row += 1 }
            throw ALSError.invalidValue(user: interactions.users.id(at: row) ?? "#\(row)",
                                        item: interactions.items.id(at: Int(m.columnIndices[bad])) ?? "?", value: m.values[bad])
        }
        let threads = p.threads > 0 ? p.threads : Parallel.threads
        // The only BLAS calls outside the per-row loops are k × k Gram matrices: tiny, so BLAS stays
        // single-threaded for the whole fit (as implicit recommends) — OpenBLAS's idle workers would
        // otherwise spin against our row loops right after each Gram.
        return try Parallel.withSingleThreadedBLAS {
            try factorize(interactions, threads: threads, progress: progress)
        }
    }

    private func factorize(_ interactions: Interactions, threads: Int, progress: ProgressHandler?) throws -> ALSModel {
        let p = parameters
        let m = interactions.matrix
        let clock = TrainingStopwatch()
        var x = ALS.initialFactors(rows: m.rows, factors: p.factors, seed: p.seed, stream: 0)
        var y = ALS.initialFactors(rows: m.columns, factors: p.factors, seed: p.seed, stream: 1)
        let transposed = m.transposed()
        for iteration in 0 ..< p.iterations {
            // Finite inputs can still overflow Float32 (ratings near 1e38, or α·r): stop at the
            // first half-sweep that does, naming the iteration, rather than report the overflow
            // as a singular row or, at the end, as a damaged model.
            func checkFinite(_ f: Matrix<Float>) throws {
                guard f.values.allSatisfy(\.isFinite) else { throw ALSError.nonFiniteFactors(iteration: iteration + 1) }
            }
            switch p.feedback {
            case .implicit:
                try ImplicitSolver.sweep(m, x: &x, y: y, regularization: p.regularization, alpha: p.alpha, steps: p.cgSteps, threads: threads)
                try checkFinite(x)
                try ImplicitSolver.sweep(transposed, x: &y, y: x, regularization: p.regularization, alpha: p.alpha, steps: p.cgSteps, threads: threads)
                try checkFinite(y)
            case .explicit:
                let user = ExplicitSolver.sweep(m, x: &x, y: y, regularization: p.regularization, threads: threads)
                try checkFinite(x)
                if let row = user { throw ALSError.singularRow("user \"\(interactions.users.id(at: row) ?? "#\(row)")\"") }
                let item = ExplicitSolver.sweep(transposed, x: &y, y: x, regularization: p.regularization, threads: threads)
                try checkFinite(y)
                if let row = item { throw ALSError.singularRow("item \"\(interactions.items.id(at: row) ?? "#\(row)")\"") }
            }
            if let progress {
                var loss: Double?
                var detail = ""
                if p.computeLoss {
                    switch p.feedback {
                    case .implicit:
                        loss = try ALSLoss.implicit(m, x: x, y: y, regularization: p.regularization, alpha: p.alpha, threads: threads)
                    case .explicit:
                        let l = ALSLoss.explicit(m, x: x, y: y, regularization: p.regularization, threads: threads)
                        loss = l.loss
                        detail = "train RMSE \(l.rmse)"
                    }
                }
                progress(TrainingProgress(iteration: iteration + 1, loss: loss, elapsed: clock.seconds, detail: detail))
            }
        }
        return try ALSModel(parameters: p, userFactors: x, itemFactors: y, users: interactions.users, items: interactions.items,
                            training: m)
    }

    /// The seeded starting factors: `rows × factors`, each entry uniform in [0, 0.01) (implicit's
    /// `random(...) * 0.01`), drawn row by row from SplitMix64 seeded with `seed` mixed with
    /// `stream` (0 for users, 1 for items). Public so a reference implementation can start from
    /// exactly the same point.
    public static func initialFactors(rows: Int, factors: Int, seed: UInt64, stream: UInt64) -> Matrix<Float> {
        var m = Matrix<Float>(rows: rows, columns: factors)
        var g = SynthRandom(seed: seed &+ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03)
        for i in m.values.indices {
            m.values[i] = Float(g.next() >> 40) * 0x1p-24 * 0.01
        }
        return m
    }
}
