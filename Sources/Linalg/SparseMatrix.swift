/// A dense vector: Swift arrays are contiguous, so `[Scalar]` is passed to BLAS as is.
public typealias Vector<Scalar: BLASScalar> = [Scalar]

/// A compressed sparse row (CSR) matrix: row `i`'s non-zeros are `columnIndices[rowPointers[i] ..<
/// rowPointers[i + 1]]` with `values` at the same positions, column indexes strictly increasing
/// within a row.
///
/// ```swift
/// let m = try SparseMatrix<Float>(rows: 2, columns: 3,
///                                 entries: [(0, 2, 1.5), (1, 0, 2), (0, 2, 0.5)]) // duplicates summed
/// m[0, 2]          // 2.0
/// m.transposed()   // 3 × 2 CSR (the CSC view of m)
/// ```
public struct SparseMatrix<Scalar: BLASScalar>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// `rows + 1` offsets into `columnIndices`/`values`, starting at 0, non-decreasing.
    public let rowPointers: [Int]
    public let columnIndices: [Int32]
    public let values: [Scalar]

    /// Validates and wraps CSR arrays (a structural error names what is wrong).
    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Scalar]) throws {
        guard rows >= 0, columns >= 0, columns <= Int(Int32.max) else {
            throw LinalgError.shape("sparse matrix of \(rows) × \(columns)")
        }
        guard rowPointers.count == rows + 1, rowPointers.first == 0 else {
            throw LinalgError.shape("CSR row pointers: \(rowPointers.count) for \(rows) rows (need rows + 1, starting at 0)")
        }
        guard columnIndices.count == values.count, rowPointers[rows] == values.count else {
            throw LinalgError.shape("CSR: \(columnIndices.count) column indexes, \(values.count) values, last row pointer \(rowPointers[rows])")
        }
        for i in 0 ..< rows {
            let (a, b) = (rowPointers[i], rowPointers[i + 1])
            // `b <= count` as well: a pointer past the end followed by a decrease must not be read.
            guard a <= b, b <= values.count else {
                throw LinalgError.shape("CSR row pointers decrease or pass the \(values.count) entries at row \(i)")
            }
            var previous: Int32 = -1
            for k in a ..< b {
                let c = columnIndices[k]
                guard c > previous, Int(c) < columns else {
                    throw LinalgError.shape("CSR row \(i): column index \(c) out of order or outside 0..<\(columns)")
                }
                previous = c
            }
        }
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Trusted construction (arrays already valid, e.g. from a transpose).
    init(unchecked rows: Int, _ columns: Int, _ rowPointers: [Int], _ columnIndices: [Int32], _ values: [Scalar]) {
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Builds from (row, column, value) triplets in any order; duplicates are summed.
    public init(rows: Int, columns: Int, entries: [(row: Int, column: Int, value: Scalar)]) throws {
        guard rows >= 0, columns >= 0, columns <= Int(Int32.max) else {
            throw LinalgError.shape("sparse matrix of \(rows) × \(columns)")
        }
        var counts = [Int](repeating: 0, count: rows + 1)
        for e in entries {
            guard e.row >= 0, e.row < rows, e.column >= 0, e.column < columns else {
                throw LinalgError.shape("entry (\(e.row), \(e.column)) outside \(rows) × \(columns)")
            }
            counts[e.row + 1] += 1
        }
        for i in 0 ..< rows { counts[i + 1] += counts[i] }
        var next = counts
        var cols = [Int32](repeating: 0, count: entries.count)
        var vals = [Scalar](repeating: 0, count: entries.count)
        for e in entries {
            let at = next[e.row]
            cols[at] = Int32(e.column)
            vals[at] = e.value
            next[e.row] += 1
        }
        // Sort each row by column and sum duplicates, compacting in place.
        var pointers = [Int](repeating: 0, count: rows + 1)
        var w = 0
        for i in 0 ..< rows {
            let (a, b) = (counts[i], counts[i + 1])
            let order = (a ..< b).sorted { (cols[$0], $0) < (cols[$1], $1) }
            let rowCols = order.map { cols[$0] }
            let rowVals = order.map { vals[$0] }
            var k = 0
            while k < rowCols.count {
                var sum = rowVals[k]
                var j = k + 1
                while j < rowCols.count, rowCols[j] == rowCols[k] { sum += rowVals[j]; j += 1 }
                cols[w] = rowCols[k]
                vals[w] = sum
                w += 1
                k = j
            }
            pointers[i + 1] = w
        }
        cols.removeSubrange(w...)
        vals.removeSubrange(w...)
        self.init(unchecked: rows, columns, pointers, cols, vals)
    }

    /// Number of stored entries.
    public var nonZeros: Int { values.count }

    /// The stored entries of row `i`: its column indexes and values.
    public func row(_ i: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Scalar>) {
        let r = rowPointers[i] ..< rowPointers[i + 1]
        return (columnIndices[r], values[r])
    }

    /// Element (i, j), zero where nothing is stored (binary search within the row).
    public subscript(row: Int, column: Int) -> Scalar {
        var lo = rowPointers[row], hi = rowPointers[row + 1]
        let c = Int32(clamping: column)
        while lo < hi {
            let mid = (lo + hi) / 2
            if columnIndices[mid] < c { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowPointers[row + 1] && columnIndices[lo] == c ? values[lo] : 0
    }

    /// The transpose, in CSR (so the CSC layout of `self`): linear in rows + non-zeros.
    public func transposed() -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { pointers[Int(c) + 1] += 1 }
        for j in 0 ..< columns { pointers[j + 1] += pointers[j] }
        var next = pointers
        var cols = [Int32](repeating: 0, count: nonZeros)
        var vals = [Scalar](repeating: 0, count: nonZeros)
        for i in 0 ..< rows {
            for k in rowPointers[i] ..< rowPointers[i + 1] {
                let j = Int(columnIndices[k])
                cols[next[j]] = Int32(i)
                vals[next[j]] = values[k]
                next[j] += 1
            }
        }
        return SparseMatrix(unchecked: columns, rows, pointers, cols, vals)
    }

    /// `self · x`.
    public func multiplied(by x: [Scalar]) throws -> [Scalar] {
        guard x.count == columns else { throw LinalgError.shape("CSR multiply: \(rows) × \(columns) by \(x.count)") }
        var y = [Scalar](repeating: 0, count: rows)
        for i in 0 ..< rows {
            var s: Scalar = 0
            for k in rowPointers[i] ..< rowPointers[i + 1] { s += values[k] * x[Int(columnIndices[k])] }
            y[i] = s
        }
        return y
    }

    /// The dense equivalent (for tests and small matrices).
    public func dense() -> Matrix<Scalar> {
        var m = Matrix<Scalar>(rows: rows, columns: columns)
        for i in 0 ..< rows {
            for k in rowPointers[i] ..< rowPointers[i + 1] { m[i, Int(columnIndices[k])] = values[k] }
        }
        return m
    }

    /// The same structure with every stored value transformed (e.g. confidence `1 + α·r`).
    public func mapValues(_ f: (Scalar) -> Scalar) -> SparseMatrix {
        SparseMatrix(unchecked: rows, columns, rowPointers, columnIndices, values.map(f))
    }
}
