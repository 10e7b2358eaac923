import Testing
@testable import Linalg

/// Seeded values in [-1, 1).
func seeded<T: BLASScalar>(_ n: Int, seed: UInt64) -> [T] {
    var s = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0 ..< n).map { _ in
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return T(Double(s >> 11) / Double(1 << 53) * 2 - 1)
    }
}

/// The textbook triple loop, as the independent reference.
func naiveProduct<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> Matrix<T> {
    var c = Matrix<T>(rows: a.rows, columns: b.columns)
    for i in 0 ..< a.rows {
        for j in 0 ..< b.columns {
            var s: T = 0
            for k in 0 ..< a.columns { s += a[i, k] * b[k, j] }
            c[i, j] = s
        }
    }
    return c
}

func maxAbsDiff<T: BLASScalar>(_ x: [T], _ y: [T]) -> Double {
    zip(x, y).map { Double(abs($0 - $1)) }.max() ?? 0
}

@Suite struct LinalgTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (3, 5, 7), (17, 1, 4), (33, 65, 9), (2, 0, 3), (0, 4, 2)]

    @Test(arguments: shapes.indices)
    func gemmMatchesNaiveDouble(shape: Int) throws {
        let (m, k, n) = Self.shapes[shape]
        let a = try Matrix<Double>(rows: m, columns: k, values: seeded(m * k, seed: 1))
        let b = try Matrix<Double>(rows: k, columns: n, values: seeded(k * n, seed: 2))
        let c = try BLAS.gemm(a, b)
        #expect(c.rows == m && c.columns == n)
        #expect(maxAbsDiff(c.values, naiveProduct(a, b).values) < 1e-12)
        // Transposed operands give the same product.
        let c2 = try BLAS.gemm(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
        #expect(maxAbsDiff(c2.values, c.values) < 1e-12)
    }

    @Test func gemmFloatAndShapeErrors() throws {
        let a = try Matrix<Float>(rows: 5, columns: 3, values: seeded(15, seed: 3))
        let b = try Matrix<Float>(rows: 3, columns: 4, values: seeded(12, seed: 4))
        #expect(maxAbsDiff(try BLAS.gemm(a, b).values, naiveProduct(a, b).values) < 1e-5)
        #expect(throws: LinalgError.self) { try BLAS.gemm(a, a) }
        #expect(throws: LinalgError.self) { try Matrix<Float>(rows: 2, columns: 2, values: [1, 2, 3]) }
        // rows × columns overflowing Int is a shape error, not a trap.
        #expect(throws: LinalgError.self) { try Matrix<Float>(rows: Int.max, columns: 2, values: []) }
    }

    @Test func gemvDotAxpyScal() throws {
        let a = try Matrix<Double>(rows: 7, columns: 3, values: seeded(21, seed: 5))
        let x: [Double] = seeded(3, seed: 6)
        let y = try BLAS.gemv(a, x)
        let yt = try BLAS.gemv(a, y, transpose: true)
        for i in 0 ..< 7 {
            let ref = (0 ..< 3).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            #expect(abs(y[i] - ref) < 1e-14)
        }
        for j in 0 ..< 3 {
            let ref = (0 ..< 7).reduce(0.0) { $0 + a[$1, j] * y[$1] }
            #expect(abs(yt[j] - ref) < 1e-13)
        }
        #expect(try BLAS.dot([1.0, 2, 3], [4.0, -5, 6]) == 12)
        var z = [1.0, 1, 1]
        try BLAS.axpy(2, [1.0, 2, 3], &z)
        #expect(z == [3, 5, 7])
        try BLAS.scal(0.5, &z)
        #expect(z == [1.5, 2.5, 3.5])
        #expect(throws: LinalgError.self) { try BLAS.dot([1.0], [1.0, 2]) }
    }

    @Test func gramCholeskyAndSolve() throws {
        let x = try Matrix<Double>(rows: 40, columns: 6, values: seeded(240, seed: 7))
        let g = try BLAS.gram(x)
        #expect(maxAbsDiff(g.values, naiveProduct(x.transposed(), x).values) < 1e-12)
        let u = try BLAS.cholesky(g)
        #expect(maxAbsDiff(naiveProduct(u.transposed(), u).values, g.values) < 1e-12)
        let truth: [Double] = [1, -2, 0.5, 3, 0, -1]
        let b = try BLAS.gemv(g, truth)
        let solved = try BLAS.solveSPD(g, rhs: b)
        #expect(maxAbsDiff(solved, truth) < 1e-9)
        // Indefinite: a clear error, not garbage.
        let bad = try Matrix<Double>(rows: 2, columns: 2, values: [1, 2, 2, 1])
        #expect(throws: LinalgError.notPositiveDefinite(minor: 2)) { try BLAS.cholesky(bad) }
    }

    @Test func threadCountIsSettable() {
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        BLAS.setThreads(2)
        #expect(BLAS.threads >= 1)
    }
}
