import Linalg

/// The training objectives reported through the progress handler.
enum ALSLoss {
    /// The implicit objective (HKV eq. 3) over every (user, item) cell,
    ///
    ///     L = Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²),
    ///
    /// computed in O(nnz·k + (users + items)·k²) as Σ_u [x_uᵀ(YᵀY)x_u + Σ_{i∈I_u} ((c − 1)s² − 2c·p·s + c·p)]
    /// with s = x_uᵀy_i, and divided, like implicit's `calculate_loss`, by Σ c_ui + users·items − nnz
    /// (the total confidence of all cells).
    static func implicit(_ m: SparseMatrix<Float>, x: Matrix<Float>, y: Matrix<Float>, regularization: Float,
                         alpha: Float, threads: Int) throws -> Double {
        let k = x.columns
        let gram = try BLAS.gram(y)
        var perRow = [Double](repeating: 0, count: m.rows)
        var confidence = [Double](repeating: 0, count: m.rows)
        withRows(m, x: x, y: y, gram: gram, perRow: &perRow, extra: &confidence, threads: threads) { u, cols, vals, n, xu, yB, gB, scratch in
            var sum = 0.0, conf = 0.0
            Float.gemv(false, Int32(k), Int32(k), 1, gB, Int32(k), xu, 0, scratch)
            for d in 0 ..< k { sum += Double(xu[d]) * Double(scratch[d]) }
            for j in 0 ..< n {
                let v = vals[j]
                let c = Double(1 + alpha * abs(v)), p: Double = v > 0 ? 1 : 0
                let yi = yB + Int(cols[j]) * k
                var s = 0.0
                for d in 0 ..< k { s += Double(xu[d]) * Double(yi[d]) }
                sum += (c - 1) * s * s - 2 * c * p * s + c * p
                conf += c
            }
            return (sum, conf)
        }
        let norms = squaredNorm(x) + squaredNorm(y)
        let cells = Double(m.rows) * Double(m.columns) - Double(m.nonZeros)
        let total = perRow.reduce(0, +) + Double(regularization) * norms
        let denominator = confidence.reduce(0, +) + cells
        return denominator > 0 ? total / denominator : 0
    }

    /// The explicit objective (ALS-WR eq. 3) divided by the number of ratings, and the training
    /// RMSE: L = [Σ_{(u,i) observed} (r_ui − x_uᵀy_i)² + λ (Σ_u n_u‖x_u‖² + Σ_i n_i‖y_i‖²)] / nnz.
    static func explicit(_ m: SparseMatrix<Float>, x: Matrix<Float>, y: Matrix<Float>, regularization: Float,
                         threads: Int) -> (loss: Double, rmse: Double) {
        let k = x.columns
        var perRow = [Double](repeating: 0, count: m.rows)
        var unused = [Double](repeating: 0, count: m.rows)
        let gram = Matrix<Float>(rows: k, columns: k)
        withRows(m, x: x, y: y, gram: gram, perRow: &perRow, extra: &unused, threads: threads) { _, cols, vals, n, xu, yB, _, _ in
            var sum = 0.0
            for j in 0 ..< n {
                let yi = yB + Int(cols[j]) * k
                var s = 0.0
                for d in 0 ..< k { s += Double(xu[d]) * Double(yi[d]) }
                let e = Double(vals[j]) - s
                sum += e * e
            }
            return (sum, 0)
        }
        let squaredError = perRow.reduce(0, +)
        var penalty = 0.0
        for u in 0 ..< m.rows {
            penalty += Double(m.rowPointers[u + 1] - m.rowPointers[u]) * squaredNorm(x.values[u * k ..< (u + 1) * k])
        }
        var itemCounts = [Int](repeating: 0, count: m.columns)
        for c in m.columnIndices { itemCounts[Int(c)] += 1 }
        for i in 0 ..< m.columns { penalty += Double(itemCounts[i]) * squaredNorm(y.values[i * k ..< (i + 1) * k]) }
        let nnz = Double(max(m.nonZeros, 1))
        return ((squaredError + Double(regularization) * penalty) / nnz, (squaredError / nnz).squareRoot())
    }

    static func squaredNorm(_ m: Matrix<Float>) -> Double { squaredNorm(m.values[...]) }

    static func squaredNorm(_ v: ArraySlice<Float>) -> Double {
        var s = 0.0
        for e in v { s += Double(e) * Double(e) }
        return s
    }

    /// Runs `body` for every row in parallel; `body` returns (row value, extra value), stored per
    /// row so the sums do not depend on scheduling.
    private static func withRows(
        _ m: SparseMatrix<Float>, x: Matrix<Float>, y: Matrix<Float>, gram: Matrix<Float>,
        perRow: inout [Double], extra: inout [Double], threads: Int,
        _ body: @escaping @Sendable (Int, UnsafePointer<Int32>, UnsafePointer<Float>, Int, UnsafePointer<Float>,
                                     UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> (Double, Double)
    ) {
        let k = x.columns
        m.rowPointers.withUnsafeBufferPointer { rp in
            m.columnIndices.withUnsafeBufferPointer { ci in
                m.values.withUnsafeBufferPointer { vals in
                    x.values.withUnsafeBufferPointer { xv in
                        y.values.withUnsafeBufferPointer { yv in
                            gram.values.withUnsafeBufferPointer { gv in
                                perRow.withUnsafeMutableBufferPointer { out in
                                    extra.withUnsafeMutableBufferPointer { out2 in
                                        guard let rpB = rp.baseAddress, let xB = xv.baseAddress, let gB = gv.baseAddress,
                                              let oB = out.baseAddress, let o2B = out2.baseAddress else { return }
                                        // No stored entries: every row is empty and its factor zero, so every term is 0.
                                        guard let ciP = ci.baseAddress, let valP = vals.baseAddress, let yB = yv.baseAddress else { return }
                                        let s = (SharedReadPointer(rpB), SharedReadPointer(ciP), SharedReadPointer(valP), SharedReadPointer(xB),
                                                 SharedReadPointer(yB), SharedReadPointer(gB), SharedPointer(oB), SharedPointer(o2B))
                                        Parallel.forEach(count: m.rows, threads: threads) { range in
                                            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: k)
                                            defer { scratch.deallocate() }
                                            for u in range {
                                                let start = s.0.base[u], n = s.0.base[u + 1] - start
                                                let r = body(u, s.1.base + start, s.2.base + start, n, s.3.base + u * k, s.4.base,
                                                             s.5.base, scratch)
                                                s.6.base[u] = r.0
                                                s.7.base[u] = r.1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
