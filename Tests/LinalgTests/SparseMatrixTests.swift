import Foundation
import Testing
@testable import Linalg

@Suite struct SparseMatrixTests {
    /// A seeded random sparse pattern (with duplicate coordinates) and its dense sum, computed
    /// independently of the CSR code.
    static func sample(rows: Int, columns: Int, entries: Int, seed: UInt64) -> ([(row: Int, column: Int, value: Double)], Matrix<Double>) {
        let v: [Double] = seeded(entries * 3, seed: seed)
        var dense = Matrix<Double>(rows: rows, columns: columns)
        var out: [(row: Int, column: Int, value: Double)] = []
        guard rows > 0, columns > 0 else { return (out, dense) }
        for e in 0 ..< entries {
            let r = Int((v[3 * e] + 1) / 2 * Double(rows)) % rows
            let c = Int((v[3 * e + 1] + 1) / 2 * Double(columns)) % columns
            out.append((r, c, v[3 * e + 2]))
            dense[r, c] += v[3 * e + 2]
        }
        return (out, dense)
    }

    @Test(arguments: [(1, 1, 3), (7, 3, 40), (3, 11, 5), (50, 20, 300), (4, 0, 0), (0, 6, 0)])
    func tripletsSumDuplicatesAndMatchDense(shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        let (entries, dense) = Self.sample(rows: m, columns: n, entries: k, seed: UInt64(m * 100 + n))
        let s = try SparseMatrix<Double>(rows: m, columns: n, entries: entries)
        #expect(maxAbsDiff(s.dense().values, dense.values) < 1e-12)
        // Structure: sorted unique columns per row.
        for i in 0 ..< m {
            let cols = Array(s.row(i).columns)
            #expect(cols == Array(Set(cols)).sorted())
        }
        #expect(s.nonZeros == Set(entries.map { "\($0.row),\($0.column)" }).count)
        for i in 0 ..< m { for j in 0 ..< n { #expect(s[i, j] == dense[i, j]) } }
        // Transpose agrees with the dense transpose; transposing twice is the identity.
        #expect(s.transposed().dense() == dense.transposed())
        #expect(s.transposed().transposed() == s)
        // Matrix-vector product against the dense triple loop.
        let x: [Double] = seeded(n, seed: 9)
        let y = try s.multiplied(by: x)
        let want = (0 ..< m).map { i in (0 ..< n).reduce(0.0) { $0 + dense[i, $1] * x[$1] } }
        #expect(maxAbsDiff(y, want) < 1e-12)
    }

    @Test func invalidStructureIsAShapeError() {
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 2, columns: 2, rowPointers: [0, 1], columnIndices: [0], values: [1]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 1, columns: 2, rowPointers: [0, 2], columnIndices: [1, 0], values: [1, 2]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 1, columns: 2, rowPointers: [0, 1], columnIndices: [2], values: [1]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 2, columns: 2, rowPointers: [0, 2, 1], columnIndices: [0, 1], values: [1, 2]) }
        // A pointer past the entries, then back down to the count: must throw, not read out of bounds.
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 2, columns: 9, rowPointers: [0, 5, 3], columnIndices: [0, 1, 2], values: [1, 2, 3]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 1, columns: 1, entries: [(0, 1, 1)]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 1, columns: 1, entries: [(-1, 0, 1)]) }
        #expect(throws: LinalgError.self) { try SparseMatrix<Float>(rows: 1, columns: 3, entries: []).multiplied(by: [1]) }
    }
}

@Suite struct ParallelTests {
    /// Every index is visited exactly once, for counts around the chunking boundaries.
    @Test(arguments: [0, 1, 2, 3, 15, 16, 17, 1000])
    func visitsEachIndexOnce(count: Int) {
        let hits = Counter(count)
        Parallel.forEach(count: count, threads: 2) { range in for i in range { hits.add(i) } }
        #expect(hits.values == [Int](repeating: 1, count: count))
    }

    /// BLAS inside the loop runs single-threaded. (What is restored afterwards is checked on a
    /// fake below: in a parallel test run other suites' loops and fits hold BLAS at 1 at any
    /// moment, so the process-wide count cannot be asserted here without racing them.)
    @Test func runsBLASSingleThreadedInside() {
        let inside = Counter(1)
        Parallel.forEach(count: 4, threads: 2) { _ in if BLAS.threads != 1 { inside.add(0) } }
        #expect(inside.values[0] == 0)
    }

    /// Overlapping single-threaded sections (A enters, B enters, A leaves, B leaves, as two
    /// concurrent loops or fits do), on a fake BLAS thread count: BLAS stays at 1 until the last
    /// one leaves and then gets the count from before the first back. Saving and restoring per
    /// section left it at 1 for good (B saved A's 1 and restored it last). A budget configured
    /// meanwhile takes effect when the last section ends.
    @Test func overlappingSectionsRestoreBLASThreads() {
        let blas = Counter(1)
        blas.add(0, 4)  // BLAS starts with 4 threads
        let state = ThreadState(threads: 4, getBLAS: { Int32(blas.values[0]) }, setBLAS: { blas.set(0, Int($0)) })
        state.enterSingleThreaded()  // A
        #expect(blas.values[0] == 1)
        state.enterSingleThreaded()  // B
        state.leaveSingleThreaded()  // A
        #expect(blas.values[0] == 1)
        state.leaveSingleThreaded()  // B
        #expect(blas.values[0] == 4)
        state.enterSingleThreaded()
        state.configure(3)
        #expect(blas.values[0] == 1 && state.threads == 3)
        state.leaveSingleThreaded()
        #expect(blas.values[0] == 3)
        state.configure(2)
        #expect(blas.values[0] == 2)
    }
}

/// A lock-protected tally for the parallel tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]
    init(_ n: Int) { counts = [Int](repeating: 0, count: n) }
    func add(_ i: Int, _ n: Int = 1) { lock.withLock { counts[i] += n } }
    func set(_ i: Int, _ v: Int) { lock.withLock { counts[i] = v } }
    var values: [Int] { lock.withLock { counts } }
}
