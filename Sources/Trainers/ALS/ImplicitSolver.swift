import Linalg

/// The implicit-feedback half-sweep (Hu, Koren & Volinsky 2008) solved with a few warm-started
/// conjugate-gradient steps per row (Takács, Pilászy & Tikk 2011), as in implicit's
/// `least_squares_cg`.
///
/// For row u of the CSR matrix (a user, or an item on the transposed matrix) with observed columns
/// I_u, values r_ui, confidence c_ui = 1 + α·|r_ui| and preference p_ui = [r_ui > 0], the new factor
/// x_u solves (HKV eq. 4)
///
///     (YᵀY + λI + Σ_{i∈I_u} (c_ui − 1) y_i y_iᵀ) x_u = Σ_{i∈I_u} c_ui p_ui y_i.
///
/// YᵀY + λI is formed once per sweep through BLAS; each row gathers its |I_u| factor rows into a
/// contiguous n × k block G so that every product with the row's part of the system is a BLAS
/// gemv on memory already in cache: A·v = (YᵀY + λI)·v + Gᵀ((c − 1) ∘ (G·v)). A row without
/// observations gets x_u = 0 (implicit does the same).
enum ImplicitSolver {
    /// Updates every row of `x` (rows × k) from the fixed `y` (columns × k).
    static func sweep(_ m: SparseMatrix<Float>, x: inout Matrix<Float>, y: Matrix<Float>,
                      regularization: Float, alpha: Float, steps: Int, threads: Int) throws {
        let k = y.columns
        var gram = try BLAS.gram(y)
        for d in 0 ..< k { gram.values[d * k + d] += regularization }
        let rows = m.rows
        m.rowPointers.withUnsafeBufferPointer { rp in
            m.columnIndices.withUnsafeBufferPointer { ci in
                m.values.withUnsafeBufferPointer { vals in
                    gram.values.withUnsafeBufferPointer { g in
                        y.values.withUnsafeBufferPointer { yv in
                            x.values.withUnsafeMutableBufferPointer { xv in
                                guard let rpB = rp.baseAddress, let ciB = ci.baseAddress, let valB = vals.baseAddress,
                                      let gB = g.baseAddress, let yB = yv.baseAddress, let xB = xv.baseAddress else {
                                    // No stored entries at all: every row is empty, so every factor is zero.
                                    for i in xv.indices { xv[i] = 0 }
                                    return
                                }
                                let (rpS, ciS, valS) = (SharedReadPointer(rpB), SharedReadPointer(ciB), SharedReadPointer(valB))
                                let (gS, yS, xS) = (SharedReadPointer(gB), SharedReadPointer(yB), SharedPointer(xB))
                                Parallel.forEach(count: rows, threads: threads) { range in
                                    solveRows(range, k: k, rowPointers: rpS.base, columns: ciS.base, values: valS.base,
                                              y: yS.base, gram: gS.base, x: xS.base, alpha: alpha, steps: steps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Solves rows `range`, with scratch sized for the longest row of the range.
    static func solveRows(_ range: Range<Int>, k: Int, rowPointers: UnsafePointer<Int>, columns: UnsafePointer<Int32>,
                          values: UnsafePointer<Float>, y: UnsafePointer<Float>, gram: UnsafePointer<Float>,
                          x: UnsafeMutablePointer<Float>, alpha: Float, steps: Int) {
        var longest = 0
        for u in range { longest = max(longest, rowPointers[u + 1] - rowPointers[u]) }
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: max(longest * k, 1))
        let coef = UnsafeMutablePointer<Float>.allocate(capacity: max(3 * longest, 1))  // c·p, c − 1, scratch t
        let vecs = UnsafeMutablePointer<Float>.allocate(capacity: 3 * k)  // r, p, Ap
        defer { gathered.deallocate(); coef.deallocate(); vecs.deallocate() }
        for u in range {
            let start = rowPointers[u], n = rowPointers[u + 1] - start
            let xu = x + u * k
            if n == 0 {
                xu.update(repeating: 0, count: k)
                continue
            }
            for j in 0 ..< n {
                let v = values[start + j]
                let c = 1 + alpha * abs(v)
                coef[j] = v > 0 ? c : 0
                coef[longest + j] = c - 1
                (gathered + j * k).update(from: y + Int(columns[start + j]) * k, count: k)
            }
            solveRow(k: k, n: n, gram: gram, gathered: gathered, cp: coef, cMinus1: coef + longest,
                     t: coef + 2 * longest, x: xu, r: vecs, p: vecs + k, ap: vecs + 2 * k, steps: steps)
        }
    }

    /// A few CG steps on one row's system, warm-started from `x` (overwritten with the result).
    /// `gathered` is the row's n × k block G of the other side's factors, `cp` its c·p and
    /// `cMinus1` its c − 1; `t` (n), `r`, `p`, `ap` (k) are scratch.
    @inline(__always)
    static func solveRow(k: Int, n: Int, gram: UnsafePointer<Float>, gathered: UnsafePointer<Float>,
                         cp: UnsafePointer<Float>, cMinus1: UnsafePointer<Float>, t: UnsafeMutablePointer<Float>,
                         x: UnsafeMutablePointer<Float>, r: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>,
                         ap: UnsafeMutablePointer<Float>, steps: Int) {
        let k32 = Int32(k), n32 = Int32(n)
        // r = b − A x = Gᵀ(c·p − (c − 1)∘(G x)) − (YᵀY + λI) x
        Float.gemv(false, n32, k32, 1, gathered, k32, x, 0, t)
        for j in 0 ..< n { t[j] = cp[j] - cMinus1[j] * t[j] }
        Float.gemv(false, k32, k32, -1, gram, k32, x, 0, r)
        Float.gemv(true, n32, k32, 1, gathered, k32, t, 1, r)
        p.update(from: r, count: k)
        var rsOld = dot(r, r, k)
        if rsOld < 1e-20 { return }
        for _ in 0 ..< steps {
            // Ap = (YᵀY + λI) p + Gᵀ((c − 1)∘(G p))
            Float.gemv(false, n32, k32, 1, gathered, k32, p, 0, t)
            for j in 0 ..< n { t[j] *= cMinus1[j] }
            Float.gemv(false, k32, k32, 1, gram, k32, p, 0, ap)
            Float.gemv(true, n32, k32, 1, gathered, k32, t, 1, ap)
            let step = rsOld / dot(p, ap, k)
            for d in 0 ..< k {
                x[d] += step * p[d]
                r[d] -= step * ap[d]
            }
            let rsNew = dot(r, r, k)
            if rsNew < 1e-20 { break }
            let beta = rsNew / rsOld
            for d in 0 ..< k { p[d] = r[d] + beta * p[d] }
            rsOld = rsNew
        }
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s: Float = 0
        for i in 0 ..< n { s += a[i] * b[i] }
        return s
    }
}
