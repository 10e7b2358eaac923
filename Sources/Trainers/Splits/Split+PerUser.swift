import Linalg

extension Split {
    /// Holds out a fraction of each user's (row's) interactions: a user with `n ≥ minInteractions`
    /// stored entries gives `k = round(testFraction × n)` of them, clamped to `1 ... n − 1`, to
    /// the test matrix (so such a user keeps at least one in train and has at least one to
    /// evaluate); users with fewer keep all in train. Both matrices have `m`'s shape and together
    /// hold exactly its entries. Each user draws from its own seeded stream, so a user's split does
    /// not depend on the others.
    public static func perUser(_ m: SparseMatrix<Float>, testFraction: Double, seed: UInt64,
                               minInteractions: Int = 2) throws -> (train: SparseMatrix<Float>, test: SparseMatrix<Float>) {
        guard testFraction >= 0, testFraction < 1 else {
            throw SplitError(field: "testFraction", "must be in 0..<1, got \(testFraction)")
        }
        guard minInteractions >= 1 else { throw SplitError(field: "minInteractions", "must be at least 1, got \(minInteractions)") }
        var trainPointers = [0], testPointers = [0]
        trainPointers.reserveCapacity(m.rows + 1)
        testPointers.reserveCapacity(m.rows + 1)
        var trainColumns: [Int32] = [], testColumns: [Int32] = []
        var trainValues: [Float] = [], testValues: [Float] = []
        trainColumns.reserveCapacity(m.nonZeros)
        trainValues.reserveCapacity(m.nonZeros)
        var positions: [Int] = []
        var held: [Bool] = []
        for u in 0 ..< m.rows {
            let lo = m.rowPointers[u], hi = m.rowPointers[u + 1]
            let n = hi - lo
            var k = 0
            if n >= minInteractions, n >= 2, testFraction > 0 {
                k = min(n - 1, max(1, Int((testFraction * Double(n)).rounded())))
            }
            held.removeAll(keepingCapacity: true)
            held.append(contentsOf: repeatElement(false, count: n))
            if k > 0 {
                positions.removeAll(keepingCapacity: true)
                positions.append(contentsOf: 0 ..< n)
                var g = SplitGenerator(seed: seed, stream: UInt64(u))
                g.choose(k, from: &positions)
                for p in positions[..<k] { held[p] = true }
            }
            for p in 0 ..< n {
                if held[p] {
                    testColumns.append(m.columnIndices[lo + p])
                    testValues.append(m.values[lo + p])
                } else {
                    trainColumns.append(m.columnIndices[lo + p])
                    trainValues.append(m.values[lo + p])
                }
            }
            trainPointers.append(trainColumns.count)
            testPointers.append(testColumns.count)
        }
        let train = try SparseMatrix(rows: m.rows, columns: m.columns, rowPointers: trainPointers,
                                     columnIndices: trainColumns, values: trainValues)
        let test = try SparseMatrix(rows: m.rows, columns: m.columns, rowPointers: testPointers,
                                    columnIndices: testColumns, values: testValues)
        return (train, test)
    }
}
