import CBLAS

/// Shape-checked BLAS/LAPACK operations over ``Matrix`` and vectors (`[Scalar]`).
///
/// ```swift
/// let c = try BLAS.gemm(a, b)                 // a · b
/// let g = try BLAS.gram(x)                    // xᵀx, symmetric
/// let w = try BLAS.solveSPD(g, rhs: xty)      // Cholesky solve
/// ```
public enum BLAS {
    /// Sets OpenBLAS's thread count now. For a section that must run BLAS single-threaded use
    /// ``Parallel/withSingleThreadedBLAS(_:)`` instead: it restores the count correctly when
    /// sections overlap; to change the budget use ``Parallel/configure(threads:)``.
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(clamping: max(1, n)))
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    static func dim(_ n: Int, _ what: String) throws -> Int32 {
        guard n >= 0, n <= Int(Int32.max) else { throw LinalgError.shape("\(what) = \(n) exceeds BLAS's 32-bit index range") }
        return Int32(n)
    }

    /// `alpha · op(a) · op(b)` where op transposes when asked.
    public static func gemm<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>, transposeA: Bool = false, transposeB: Bool = false,
                                           alpha: T = 1) throws -> Matrix<T> {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard k == kb else {
            throw LinalgError.shape("gemm: op(a) is \(m) × \(k), op(b) is \(kb) × \(n)")
        }
        var c = Matrix<T>(rows: m, columns: n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        let (m32, n32, k32) = (try dim(m, "m"), try dim(n, "n"), try dim(k, "k"))
        let lda = try dim(max(a.columns, 1), "lda"), ldb = try dim(max(b.columns, 1), "ldb"), ldc = try dim(max(n, 1), "ldc")
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    guard let ra = pa.baseAddress, let rb = pb.baseAddress, let rc = pc.baseAddress else { return }
                    T.gemm(transposeA, transposeB, m32, n32, k32, alpha, ra, lda, rb, ldb, 0, rc, ldc)
                }
            }
        }
        return c
    }

    /// `op(a) · x`.
    public static func gemv<T: BLASScalar>(_ a: Matrix<T>, _ x: [T], transpose: Bool = false) throws -> [T] {
        let (outN, inN) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        guard x.count == inN else { throw LinalgError.shape("gemv: op(a) is \(outN) × \(inN), x has \(x.count)") }
        var y = [T](repeating: 0, count: outN)
        if outN == 0 || inN == 0 { return y }
        let (m32, n32, lda) = (try dim(a.rows, "m"), try dim(a.columns, "n"), try dim(max(a.columns, 1), "lda"))
        a.values.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    guard let ra = pa.baseAddress, let rx = px.baseAddress, let ry = py.baseAddress else { return }
                    T.gemv(transpose, m32, n32, 1, ra, lda, rx, 0, ry)
                }
            }
        }
        return y
    }

    /// The Gram matrix `aᵀ a` (columns × columns), computed with syrk and mirrored to be full.
    public static func gram<T: BLASScalar>(_ a: Matrix<T>) throws -> Matrix<T> {
        let n = a.columns
        var c = Matrix<T>(rows: n, columns: n)
        if n == 0 || a.rows == 0 { return c }
        let (n32, k32, lda) = (try dim(n, "n"), try dim(a.rows, "k"), try dim(n, "lda"))
        a.values.withUnsafeBufferPointer { pa in
            c.values.withUnsafeMutableBufferPointer { pc in
                guard let ra = pa.baseAddress, let rc = pc.baseAddress else { return }
                T.syrk(true, n32, k32, 1, ra, lda, 0, rc, n32)
            }
        }
        for i in 0 ..< n { for j in 0 ..< i { c.values[i * n + j] = c.values[j * n + i] } }
        return c
    }

    public static func dot<T: BLASScalar>(_ x: [T], _ y: [T]) throws -> T {
        guard x.count == y.count else { throw LinalgError.shape("dot: \(x.count) vs \(y.count)") }
        if x.isEmpty { return 0 }
        let n = try dim(x.count, "n")
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                guard let rx = px.baseAddress, let ry = py.baseAddress else { return 0 }
                return T.dot(n, rx, ry)
            }
        }
    }

    /// `y += alpha · x`.
    public static func axpy<T: BLASScalar>(_ alpha: T, _ x: [T], _ y: inout [T]) throws {
        guard x.count == y.count else { throw LinalgError.shape("axpy: \(x.count) vs \(y.count)") }
        if x.isEmpty { return }
        let n = try dim(x.count, "n")
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                guard let rx = px.baseAddress, let ry = py.baseAddress else { return }
                T.axpy(n, alpha, rx, ry)
            }
        }
    }

    /// `x *= alpha`.
    public static func scal<T: BLASScalar>(_ alpha: T, _ x: inout [T]) throws {
        if x.isEmpty { return }
        let n = try dim(x.count, "n")
        x.withUnsafeMutableBufferPointer { px in
            guard let rx = px.baseAddress else { return }
            T.scal(n, alpha, rx)
        }
    }

    /// The upper Cholesky factor U of a symmetric positive definite `a` (a = Uᵀ U); the strictly
    /// lower part of the result is zero.
    public static func cholesky<T: BLASScalar>(_ a: Matrix<T>) throws -> Matrix<T> {
        guard a.rows == a.columns else { throw LinalgError.shape("cholesky: \(a.rows) × \(a.columns) is not square") }
        var u = a
        let n = a.rows
        if n == 0 { return u }
        let n32 = try dim(n, "n")
        let info = u.values.withUnsafeMutableBufferPointer { pu -> Int32 in
            guard let ru = pu.baseAddress else { return 0 }
            return T.potrf(n32, ru, n32)
        }
        if info > 0 { throw LinalgError.notPositiveDefinite(minor: Int(info)) }
        if info < 0 { throw LinalgError.lapack(routine: "potrf", info: Int(info)) }
        for i in 0 ..< n { for j in 0 ..< i { u.values[i * n + j] = 0 } }
        return u
    }

    /// Solves `a x = b` for symmetric positive definite `a` (Cholesky, LAPACK posv).
    public static func solveSPD<T: BLASScalar>(_ a: Matrix<T>, rhs b: [T]) throws -> [T] {
        guard a.rows == a.columns else { throw LinalgError.shape("solveSPD: \(a.rows) × \(a.columns) is not square") }
        guard b.count == a.rows else { throw LinalgError.shape("solveSPD: a is \(a.rows) × \(a.rows), b has \(b.count)") }
        let n = a.rows
        if n == 0 { return [] }
        var work = a.values
        var x = b
        let n32 = try dim(n, "n")
        let info = work.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { px -> Int32 in
                guard let ra = pa.baseAddress, let rx = px.baseAddress else { return 0 }
                return T.posv(n32, 1, ra, n32, rx, 1)
            }
        }
        if info > 0 { throw LinalgError.notPositiveDefinite(minor: Int(info)) }
        if info < 0 { throw LinalgError.lapack(routine: "posv", info: Int(info)) }
        return x
    }
}
