import Linalg

extension ALSModel {
    /// The top `k` items for `user` by score x_uᵀy_i, best first (ties by item index).
    ///
    /// **Cold start:** a user unknown to the model, or one without any training interaction, gets
    /// the `k` most popular items (most training users first, ties by item index) with
    /// score = that popularity; `excludeSeen` has nothing to exclude then.
    public func recommend(user: String, k: Int, excludeSeen: Bool) -> [(item: String, score: Float)] {
        let top: [(item: Int, score: Float)]
        if let u = users.index(of: user) {
            top = recommend(userIndex: u, k: k, excludeSeen: excludeSeen)
        } else {
            top = popular(k: k)
        }
        return top.map { (items.ids[$0.item], $0.score) }
    }

    /// Index-based ``recommend(user:k:excludeSeen:)``: an index outside `0 ..< users.count` is an
    /// unknown user (the cold-start answer).
    public func recommend(userIndex: Int, k: Int, excludeSeen: Bool) -> [(item: Int, score: Float)] {
        recommend(userIndexes: [userIndex], k: k, excludeSeen: excludeSeen)[0]
    }

    /// Top-k for every user (index order), computed blockwise: each block of users (256, fewer for
    /// catalogs over 65 536 items) scores all items with one BLAS gemm (block × k)·(k × items), then
    /// a bounded selection per user.
    public func recommendAll(k: Int, excludeSeen: Bool) -> [[(item: Int, score: Float)]] {
        recommend(userIndexes: Array(0 ..< users.count), k: k, excludeSeen: excludeSeen)
    }

    /// Users scored per gemm in ``recommend(userIndexes:k:excludeSeen:)``: 256, fewer for large
    /// catalogs so that a task's block × items score buffer stays within 64 MiB (at least one user).
    static func scoringBlockRows(items: Int) -> Int {
        max(1, min(256, (64 << 20) / max(1, items * MemoryLayout<Float>.stride)))
    }

    /// The `k` most popular items with score = popularity (the cold-start answer).
    public func popular(k: Int) -> [(item: Int, score: Float)] {
        popularOrder.prefix(max(k, 0)).map { (Int($0), Float(itemPopularity[Int($0)])) }
    }

    /// Top-k for the given users (any order, repeats allowed), one list per entry.
    public func recommend(userIndexes: [Int], k: Int, excludeSeen: Bool) -> [[(item: Int, score: Float)]] {
        let kk = max(0, min(k, items.count))
        var result = [[(item: Int, score: Float)]](repeating: [], count: userIndexes.count)
        guard kk > 0 else { return result }
        // Warm users (known, with training items) are scored; the others get the cold-start list.
        var warm: [Int] = []  // positions in userIndexes
        for (pos, u) in userIndexes.enumerated() {
            if u >= 0, u < users.count, seenRowPointers[u + 1] > seenRowPointers[u] {
                warm.append(pos)
            } else {
                result[pos] = popular(k: kk)
            }
        }
        if warm.isEmpty { return result }
        var outItems = [Int32](repeating: -1, count: warm.count * kk)
        var outScores = [Float](repeating: 0, count: warm.count * kk)
        var outCounts = [Int](repeating: 0, count: warm.count)
        let block = Self.scoringBlockRows(items: items.count)
        let blocks = (warm.count + block - 1) / block
        let (k64, itemCount) = (factors, items.count)
        let threads = parameters.threads > 0 ? parameters.threads : Parallel.threads
        let rows = warm.map { userIndexes[$0] }
        userFactors.values.withUnsafeBufferPointer { xv in
            itemFactors.values.withUnsafeBufferPointer { yv in
                seenRowPointers.withUnsafeBufferPointer { sp in
                    seenItems.withUnsafeBufferPointer { si in
                        rows.withUnsafeBufferPointer { rv in
                            outItems.withUnsafeMutableBufferPointer { oi in
                                outScores.withUnsafeMutableBufferPointer { os in
                                    outCounts.withUnsafeMutableBufferPointer { oc in
                                        guard let xB = xv.baseAddress, let yB = yv.baseAddress, let spB = sp.baseAddress,
                                              let rB = rv.baseAddress, let oiB = oi.baseAddress, let osB = os.baseAddress,
                                              let ocB = oc.baseAddress else { return }
                                        // Every warm user has a seen item, so seenItems is not empty.
                                        guard let siB = si.baseAddress else { return }
                                        let s = (SharedReadPointer(xB), SharedReadPointer(yB), SharedReadPointer(spB), SharedReadPointer(siB),
                                                 SharedReadPointer(rB), SharedPointer(oiB), SharedPointer(osB), SharedPointer(ocB))
                                        let total = rows.count
                                        Parallel.forEach(count: blocks, threads: threads) { range in
                                            let scores = UnsafeMutablePointer<Float>.allocate(capacity: block * itemCount)
                                            let gatheredX = UnsafeMutablePointer<Float>.allocate(capacity: block * k64)
                                            defer { scores.deallocate(); gatheredX.deallocate() }
                                            for b in range {
                                                let lo = b * block, hi = min(total, lo + block), n = hi - lo
                                                for r in 0 ..< n {
                                                    (gatheredX + r * k64).update(from: s.0.base + s.4.base[lo + r] * k64, count: k64)
                                                }
                                                Float.gemm(false, true, Int32(n), Int32(itemCount), Int32(k64), 1, gatheredX, Int32(k64),
                                                           s.1.base, Int32(k64), 0, scores, Int32(itemCount))
                                                for r in 0 ..< n {
                                                    let u = s.4.base[lo + r]
                                                    let excluded = excludeSeen
                                                        ? UnsafeBufferPointer(start: s.3.base + s.2.base[u], count: s.2.base[u + 1] - s.2.base[u])
                                                        : UnsafeBufferPointer(start: s.3.base, count: 0)
                                                    s.7.base[lo + r] = TopK.select(scores + r * itemCount, count: itemCount, k: kk,
                                                                                   excluded: excluded, outItems: s.5.base + (lo + r) * kk,
                                                                                   outScores: s.6.base + (lo + r) * kk)
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
        for (w, pos) in warm.enumerated() {
            result[pos] = (0 ..< outCounts[w]).map { (Int(outItems[w * kk + $0]), outScores[w * kk + $0]) }
        }
        return result
    }

    /// The `k` items most similar to `item` by cosine similarity of item factors, excluding the
    /// item itself (ties by item index; an item with all-zero factors has similarity 0).
    /// Throws ``ALSError/unknownItem(_:)`` naming an item the model was not trained on.
    public func similarItems(item: String, k: Int) throws -> [(item: String, score: Float)] {
        guard let i = items.index(of: item) else { throw ALSError.unknownItem(item) }
        return try similarItems(itemIndex: i, k: k).map { (items.ids[$0.item], $0.score) }
    }

    /// Index-based ``similarItems(item:k:)``.
    public func similarItems(itemIndex: Int, k: Int) throws -> [(item: Int, score: Float)] {
        guard itemIndex >= 0, itemIndex < items.count else { throw ALSError.unknownItem("#\(itemIndex)") }
        let kf = factors, n = items.count
        var norms = [Float](repeating: 0, count: n)
        for i in 0 ..< n {
            var s: Float = 0
            for d in 0 ..< kf { let v = itemFactors.values[i * kf + d]; s += v * v }
            norms[i] = s.squareRoot()
        }
        let query = Array(itemFactors.row(itemIndex))
        var scores = try BLAS.gemv(itemFactors, query)
        let qn = norms[itemIndex]
        for i in 0 ..< n { scores[i] = (qn > 0 && norms[i] > 0) ? scores[i] / (qn * norms[i]) : 0 }
        let kk = max(0, min(k, n - 1))
        var outItems = [Int32](repeating: 0, count: max(kk, 1))
        var outScores = [Float](repeating: 0, count: max(kk, 1))
        let excluded = [Int32(itemIndex)]
        let count = scores.withUnsafeBufferPointer { sv in
            excluded.withUnsafeBufferPointer { ex in
                outItems.withUnsafeMutableBufferPointer { oi in
                    outScores.withUnsafeMutableBufferPointer { os in
                        guard let sB = sv.baseAddress, let oiB = oi.baseAddress, let osB = os.baseAddress else { return 0 }
                        return TopK.select(sB, count: n, k: kk, excluded: ex, outItems: oiB, outScores: osB)
                    }
                }
            }
        }
        return (0 ..< count).map { (Int(outItems[$0]), outScores[$0]) }
    }
}
