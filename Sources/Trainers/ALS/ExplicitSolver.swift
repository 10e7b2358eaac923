import Linalg

/// The explicit-feedback half-sweep: weighted-λ regularized least squares over the observed
/// entries only (Zhou, Wilkinson, Schreiber & Pan 2008, "ALS-WR", eq. 5–6). For row u with
/// observed columns I_u (n_u = |I_u|) and ratings r_ui the new factor solves
///
///     (Σ_{i∈I_u} y_i y_iᵀ + λ n_u I) x_u = Σ_{i∈I_u} r_ui y_i,
///
/// formed from the row's gathered n_u × k block G as GᵀG (BLAS syrk) and Gᵀr (gemv), solved by
/// Cholesky (LAPACK posv). A row without observations gets x_u = 0.
enum ExplicitSolver {
    /// Updates every row of `x` from the fixed `y`; returns the first row whose system was not
    /// positive definite (only possible with λ = 0), or nil.
    static func sweep(_ m: SparseMatrix<Float>, x: inout Matrix<Float>, y: Matrix<Float>,
                      regularization: Float, threads: Int) -> Int? {
        let k = y.columns
        let rows = m.rows
        var failed = [UInt8](repeating: 0, count: rows)
        m.rowPointers.withUnsafeBufferPointer { rp in
            m.columnIndices.withUnsafeBufferPointer { ci in
                m.values.withUnsafeBufferPointer { vals in
                    y.values.withUnsafeBufferPointer { yv in
                        x.values.withUnsafeMutableBufferPointer { xv in
                            failed.withUnsafeMutableBufferPointer { fv in
                                guard let rpB = rp.baseAddress, let ciB = ci.baseAddress, let valB = vals.baseAddress,
                                      let yB = yv.baseAddress, let xB = xv.baseAddress, let fB = fv.baseAddress else {
                                    for i in xv.indices { xv[i] = 0 }
                                    return
                                }
                                let (rpS, ciS, valS) = (SharedReadPointer(rpB), SharedReadPointer(ciB), SharedReadPointer(valB))
                                let (yS, xS, fS) = (SharedReadPointer(yB), SharedPointer(xB), SharedPointer(fB))
                                Parallel.forEach(count: rows, threads: threads) { range in
                                    solveRows(range, k: k, rowPointers: rpS.base, columns: ciS.base, values: valS.base,
                                              y: yS.base, x: xS.base, failed: fS.base, regularization: regularization)
                                }
                            }
                        }
                    }
                }
            }
        }
        return failed.firstIndex(of: 1)
    }

    static func solveRows(_ range: Range<Int>, k: Int, rowPointers: UnsafePointer<Int>, columns: UnsafePointer<Int32>,
                          values: UnsafePointer<Float>, y: UnsafePointer<Float>, x: UnsafeMutablePointer<Float>,
                          failed: UnsafeMutablePointer<UInt8>, regularization: Float) {
        var longest = 0
        for u in range { longest = max(longest, rowPointers[u + 1] - rowPointers[u]) }
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(longest * k, 1))
        let a = UnsafeMutablePointer<Float>.allocate(capacity: k * k)
        defer { gathered.deallocate(); a.deallocate() }
        let k32 = Int32(k)
        for u in range {
            let start = rowPointers[u], n = rowPointers[u + 1] - start
            let xu = x + u * k
            if n == 0 {
                xu.update(repeating: 0, count: k)
                continue
            }
            for j in 0 ..< n { (gathered + j * k).update(from: y + Int(columns[start + j]) * k, count: k) }
            let n32 = Int32(n)
            // A = GᵀG (upper triangle) + λ n_u I ;  x = Gᵀ r
            Float.syrk(true, k32, n32, 1, gathered, k32, 0, a, k32)
            let ridge = regularization * Float(n)
            for d in 0 ..< k { a[d * k + d] += ridge }
            Float.gemv(true, n32, k32, 1, gathered, k32, values + start, 0, xu)
            if Float.posv(k32, 1, a, k32, xu, 1) != 0 {
                failed[u] = 1
                xu.update(repeating: 0, count: k)
            }
        }
    }
}
