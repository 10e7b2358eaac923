import Testing
@testable import Linalg

/// Every wrapper on odd shapes, in both precisions, against the naive loops.
@Suite struct BLASShapeTests {
    static let shapes: [(rows: Int, columns: Int)] = [(1, 1), (2, 7), (13, 3), (31, 17), (64, 65), (5, 0), (0, 4)]

    func check<T: BLASScalar>(_: T.Type, rows m: Int, columns n: Int, tolerance: Double) throws {
        let a = try Matrix<T>(rows: m, columns: n, values: seeded(m * n, seed: UInt64(m * 131 + n)))
        let x: [T] = seeded(n, seed: 11)
        let xt: [T] = seeded(m, seed: 12)
        // gemv and its transpose.
        let y = try BLAS.gemv(a, x)
        let yt = try BLAS.gemv(a, xt, transpose: true)
        let refY = (0 ..< m).map { i in (0 ..< n).reduce(0.0) { $0 + Double(a[i, $1]) * Double(x[$1]) } }
        let refYt = (0 ..< n).map { j in (0 ..< m).reduce(0.0) { $0 + Double(a[$1, j]) * Double(xt[$1]) } }
        #expect(maxAbsDiff(y.map(Double.init), refY) < tolerance)
        #expect(maxAbsDiff(yt.map(Double.init), refYt) < tolerance)
        // syrk Gram and gemm with transposes.
        let g = try BLAS.gram(a)
        #expect(maxAbsDiff(g.values, naiveProduct(a.transposed(), a).values) < tolerance)
        let aat = try BLAS.gemm(a, a, transposeB: true)
        #expect(maxAbsDiff(aat.values, naiveProduct(a, a.transposed()).values) < tolerance)
        // dot, axpy, scal on length-n vectors.
        let d = try BLAS.dot(x, x)
        #expect(abs(Double(d) - x.reduce(0.0) { $0 + Double($1) * Double($1) }) < tolerance)
        var z = x
        try BLAS.axpy(T(-2), x, &z)
        #expect(maxAbsDiff(z, x.map { -$0 }) < tolerance)
        try BLAS.scal(T(3), &z)
        #expect(maxAbsDiff(z, x.map { -3 * $0 }) < tolerance)
        // potrf/posv on the regularised Gram (n × n, SPD).
        var spd = g
        for i in 0 ..< n { spd[i, i] += 1 }
        let u = try BLAS.cholesky(spd)
        #expect(maxAbsDiff(naiveProduct(u.transposed(), u).values, spd.values) < tolerance * 10)
        let truth: [T] = seeded(n, seed: 13)
        let solved = try BLAS.solveSPD(spd, rhs: try BLAS.gemv(spd, truth))
        #expect(maxAbsDiff(solved, truth) < tolerance * 100)
    }

    @Test(arguments: shapes.indices)
    func double(shape: Int) throws {
        try check(Double.self, rows: Self.shapes[shape].rows, columns: Self.shapes[shape].columns, tolerance: 1e-10)
    }

    @Test(arguments: shapes.indices)
    func float(shape: Int) throws {
        try check(Float.self, rows: Self.shapes[shape].rows, columns: Self.shapes[shape].columns, tolerance: 2e-3)
    }

    @Test func wrongShapesThrow() throws {
        let a = try Matrix<Float>(rows: 3, columns: 2, values: seeded(6, seed: 1))
        #expect(throws: LinalgError.self) { try BLAS.gemv(a, [1, 2, 3]) }
        #expect(throws: LinalgError.self) { try BLAS.solveSPD(a, rhs: [1, 2, 3]) }
        #expect(throws: LinalgError.self) { try BLAS.cholesky(a) }
        var y: [Float] = [1]
        #expect(throws: LinalgError.self) { try BLAS.axpy(1, [1, 2], &y) }
    }
}
