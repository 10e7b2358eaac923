import Features
import Foundation
import Linalg
import Testing
import Trainers

@Suite struct ALSExplicitTests {
    /// A rank-3 rating matrix (plus N(0, 0.05²) noise) observed at ~30% of cells; the rest held out.
    static func ratings(users: Int, items: Int, seed: UInt64)
        -> (train: [(row: Int, column: Int, value: Float)], heldOut: [(row: Int, column: Int, value: Float)]) {
        var g = SeededGenerator(seed: seed)
        let rank = 3
        let u = (0 ..< users * rank).map { _ in g.normal() }
        let v = (0 ..< items * rank).map { _ in g.normal() }
        var train: [(row: Int, column: Int, value: Float)] = [], held: [(row: Int, column: Int, value: Float)] = []
        for a in 0 ..< users {
            for b in 0 ..< items {
                var s = 3.0
                for d in 0 ..< rank { s += u[a * rank + d] * v[b * rank + d] }
                let observed = Double.random(in: 0 ..< 1, using: &g) < 0.3
                let noise = 0.05 * g.normal()
                if observed { train.append((a, b, Float(s + noise))) } else { held.append((a, b, Float(s))) }
            }
        }
        return (train, held)
    }

    /// Naive dense ALS-WR in Double from the same initial factors.
    static func reference(_ m: SparseMatrix<Float>, k: Int, lambda: Double, iterations: Int, seed: UInt64)
        -> (x: [[Double]], y: [[Double]]) {
        func rows(_ f: Matrix<Float>) -> [[Double]] { (0 ..< f.rows).map { r in f.row(r).map { Double($0) } } }
        var x = rows(ALS.initialFactors(rows: m.rows, factors: k, seed: seed, stream: 0))
        var y = rows(ALS.initialFactors(rows: m.columns, factors: k, seed: seed, stream: 1))
        let dense = m.dense()
        var observed = [[Bool]](repeating: [Bool](repeating: false, count: m.columns), count: m.rows)
        for r in 0 ..< m.rows { for c in m.row(r).columns { observed[r][Int(c)] = true } }
        func sweep(_ other: [[Double]], count: Int, isObserved: (Int, Int) -> Bool, rating: (Int, Int) -> Double) -> [[Double]] {
            (0 ..< count).map { r in
                var a = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
                var b = [Double](repeating: 0, count: k)
                var n = 0
                for c in other.indices where isObserved(r, c) {
                    n += 1
                    for p in 0 ..< k {
                        b[p] += rating(r, c) * other[c][p]
                        for q in 0 ..< k { a[p][q] += other[c][p] * other[c][q] }
                    }
                }
                if n == 0 { return [Double](repeating: 0, count: k) }
                for d in 0 ..< k { a[d][d] += lambda * Double(n) }
                return ALSTestData.solve(a, b)
            }
        }
        for _ in 0 ..< iterations {
            x = sweep(y, count: m.rows, isObserved: { observed[$0][$1] }, rating: { Double(dense[$0, $1]) })
            y = sweep(x, count: m.columns, isObserved: { observed[$1][$0] }, rating: { Double(dense[$1, $0]) })
        }
        return (x, y)
    }

    @Test func matchesDenseReferenceAndRecoversTheSignal() throws {
        let (users, items, k) = (80, 60, 4)  // rank 3 + the constant offset
        let data = Self.ratings(users: users, items: items, seed: 4)
        let m = try SparseMatrix<Float>(rows: users, columns: items, entries: data.train)
        let interactions = try Interactions(matrix: m, users: IdMap(ids: (0 ..< users).map { String($0) }),
                                            items: IdMap(ids: (0 ..< items).map { String($0) }))
        let p = ALS.Parameters(factors: k, regularization: 0.02, feedback: .explicit, iterations: 15, seed: 8, threads: 2)
        let model = try ALS(p).fit(interactions)
        let ref = Self.reference(m, k: k, lambda: 0.02, iterations: 15, seed: 8)

        func predict(_ x: [[Double]], _ y: [[Double]], _ e: (row: Int, column: Int, value: Float)) -> Double {
            zip(x[e.row], y[e.column]).map { $0 * $1 }.reduce(0, +)
        }
        let ourX = (0 ..< users).map { r in model.userFactors.row(r).map { Double($0) } }
        let ourY = (0 ..< items).map { r in model.itemFactors.row(r).map { Double($0) } }
        for (set, name) in [(data.train, "train"), (data.heldOut, "held-out")] {
            let actual = set.map { Double($0.value) }
            let ours = try RegressionMetrics.rmse(predicted: set.map { predict(ourX, ourY, $0) }, actual: actual)
            let theirs = try RegressionMetrics.rmse(predicted: set.map { predict(ref.x, ref.y, $0) }, actual: actual)
            #expect(abs(ours - theirs) <= 1e-3, "\(name) RMSE ours \(ours), reference \(theirs)")
            // Ratings spread ~1.7 around 3; the signal is recovered to well under a tenth of that.
            #expect(ours < 0.15, "\(name) RMSE \(ours)")
        }
        // Predictions themselves agree with the reference cell by cell.
        let worst = data.heldOut.map { abs(predict(ourX, ourY, $0) - predict(ref.x, ref.y, $0)) }.max() ?? 0
        #expect(worst <= 1e-2)
    }

    @Test func progressReportsExplicitLossAndRMSE() throws {
        let data = Self.ratings(users: 20, items: 15, seed: 2)
        let m = try SparseMatrix<Float>(rows: 20, columns: 15, entries: data.train)
        let interactions = try Interactions(matrix: m, users: IdMap(ids: (0 ..< 20).map { String($0) }),
                                            items: IdMap(ids: (0 ..< 15).map { String($0) }))
        let steps = LockedSteps()
        let model = try ALS(.init(factors: 2, regularization: 0.1, feedback: .explicit, iterations: 3, seed: 1))
            .fit(interactions) { steps.append($0) }
        let last = try #require(steps.all.last)
        #expect(steps.all.map(\.iteration) == [1, 2, 3])
        // Independent: mean squared error + λ Σ n‖·‖² over nnz.
        var se = 0.0, penalty = 0.0
        for r in 0 ..< 20 {
            let (cols, vals) = m.row(r)
            let xr = model.userFactors.row(r).map { Double($0) }
            penalty += Double(cols.count) * xr.map { $0 * $0 }.reduce(0, +)
            for (c, v) in zip(cols, vals) {
                let s = zip(xr, model.itemFactors.row(Int(c)).map { Double($0) }).map { $0 * $1 }.reduce(0, +)
                se += (Double(v) - s) * (Double(v) - s)
            }
        }
        let t = m.transposed()
        for c in 0 ..< 15 {
            penalty += Double(t.row(c).columns.count) * model.itemFactors.row(c).map { Double($0) * Double($0) }.reduce(0, +)
        }
        let expected = (se + 0.1 * penalty) / Double(m.nonZeros)
        #expect(abs((last.loss ?? 0) - expected) <= 1e-6 * expected)
        let rmse = Double(last.detail.replacingOccurrences(of: "train RMSE ", with: "")) ?? .nan
        #expect(abs(rmse - (se / Double(m.nonZeros)).squareRoot()) <= 1e-9)
    }
}

final class LockedSteps: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [TrainingProgress] = []
    func append(_ s: TrainingProgress) { lock.lock(); steps.append(s); lock.unlock() }
    var all: [TrainingProgress] { lock.lock(); defer { lock.unlock() }; return steps }
}
