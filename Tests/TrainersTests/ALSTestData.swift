import Features
import Foundation
import Linalg
import Trainers

/// Seeded synthetic recommender data and a per-user split for the ALS tests.
enum ALSTestData {
    /// Implicit feedback: users and items get rank-`rank` N(0, 1) vectors, items a Zipf-like
    /// popularity bias; each user picks 8–40 distinct items with probability ∝ exp(2·u·v/√rank + bias)
    /// (Gumbel top-n sampling without replacement) and a count 1–5 for each.
    static func implicitInteractions(users: Int, items: Int, rank: Int = 8, seed: UInt64) throws -> Interactions {
        var g = SeededGenerator(seed: seed)
        let u = try Matrix<Double>(rows: users, columns: rank, values: (0 ..< users * rank).map { _ in g.normal() })
        let v = try Matrix<Double>(rows: items, columns: rank, values: (0 ..< items * rank).map { _ in g.normal() })
        let order = Array(0 ..< items).shuffled(using: &g)  // popularity is not aligned with the index
        let bias = (0 ..< items).map { -0.75 * log(Double(order[$0] + 1)) }
        let scores = try BLAS.gemm(u, v, transposeB: true, alpha: 2 / Double(rank).squareRoot())
        var entries: [(row: Int, column: Int, value: Float)] = []
        var keys = [Double](repeating: 0, count: items)
        for user in 0 ..< users {
            for i in 0 ..< items {
                let uniform = Double.random(in: Double.ulpOfOne ..< 1, using: &g)
                keys[i] = scores.values[user * items + i] + bias[i] - log(-log(uniform))
            }
            let n = Int.random(in: 8 ... 40, using: &g)
            let chosen = (0 ..< items).sorted { keys[$0] > keys[$1] }.prefix(n)
            for i in chosen { entries.append((user, i, Float(Int.random(in: 1 ... 5, using: &g)))) }
        }
        let m = try SparseMatrix<Float>(rows: users, columns: items, entries: entries)
        return try Interactions(matrix: m, users: IdMap(ids: (0 ..< users).map { String($0) }),
                                items: IdMap(ids: (0 ..< items).map { String($0) }))
    }

    /// Holds out `fraction` of each user's entries (at least one when the user has two or more),
    /// chosen by a seeded shuffle; returns (train, test) with the same shape.
    static func perUserSplit(_ m: SparseMatrix<Float>, fraction: Double, seed: UInt64) throws
        -> (train: SparseMatrix<Float>, test: SparseMatrix<Float>) {
        var g = SeededGenerator(seed: seed)
        var train: [(row: Int, column: Int, value: Float)] = [], test: [(row: Int, column: Int, value: Float)] = []
        for u in 0 ..< m.rows {
            let (cols, vals) = m.row(u)
            var idx = Array(cols.indices)
            idx.shuffle(using: &g)
            let hold = idx.count >= 2 ? max(1, Int((Double(idx.count) * fraction).rounded())) : 0
            for (n, k) in idx.enumerated() {
                let e = (row: u, column: Int(cols[k]), value: vals[k])
                if n < hold { test.append(e) } else { train.append(e) }
            }
        }
        return (try SparseMatrix(rows: m.rows, columns: m.columns, entries: train),
                try SparseMatrix(rows: m.rows, columns: m.columns, entries: test))
    }

    /// Writes "row column value" lines.
    static func writeTriplets(_ m: SparseMatrix<Float>, to url: URL) throws {
        var s = ""
        s.reserveCapacity(m.nonZeros * 12)
        for r in 0 ..< m.rows {
            let (cols, vals) = m.row(r)
            for (c, v) in zip(cols, vals) { s += "\(r) \(c) \(v)\n" }
        }
        try s.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Raw little-endian float32, row-major.
    static func writeFloats(_ m: Matrix<Float>, to url: URL) throws {
        let data = m.values.withUnsafeBufferPointer { Data(buffer: $0) }
        try data.write(to: url)
    }

    static func readFloats(_ url: URL, rows: Int, columns: Int) throws -> Matrix<Float> {
        let data = try Data(contentsOf: url)
        var values = [Float](repeating: 0, count: data.count / 4)
        _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return try Matrix(rows: rows, columns: columns, values: values)
    }

    /// Solves a dense symmetric positive definite system in Double (Gaussian elimination with
    /// partial pivoting; the reference, independent of LAPACK).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var a = a, b = b
        let n = b.count
        for col in 0 ..< n {
            var piv = col
            for r in col + 1 ..< n where abs(a[r][col]) > abs(a[piv][col]) { piv = r }
            a.swapAt(col, piv)
            b.swapAt(col, piv)
            for r in col + 1 ..< n {
                let f = a[r][col] / a[col][col]
                if f == 0 { continue }
                for c in col ..< n { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for c in r + 1 ..< n { s -= a[r][c] * x[c] }
            x[r] = s / a[r][r]
        }
        return x
    }
}
