import Foundation
import Features
import GoldTables
import Linalg
import Testing
import TestSupport
@testable import Trainers

@Suite struct SplitTests {
    @Test func randomSplitHasExactSizesIsDisjointAndDeterministic() throws {
        for (n, f, expectedTest) in [(1000, 0.2, 200), (7, 0.5, 4), (10, 0.0, 0), (10, 1.0, 10), (0, 0.3, 0), (3, 0.1, 0)] {
            let s = try Split.random(rowCount: n, testFraction: f, seed: 9)
            #expect(s.test.count == expectedTest, "n \(n) f \(f)")
            #expect(s.train.count == n - expectedTest)
            #expect(Set(s.train).isDisjoint(with: s.test))
            #expect((s.train + s.test).sorted() == Array(0 ..< n))
            #expect(s.train == s.train.sorted() && s.test == s.test.sorted())
            #expect(try Split.random(rowCount: n, testFraction: f, seed: 9) == s)
        }
        let a = try Split.random(rowCount: 1000, testFraction: 0.2, seed: 1)
        let b = try Split.random(rowCount: 1000, testFraction: 0.2, seed: 2)
        #expect(a.test != b.test)
        #expect(throws: SplitError.self) { try Split.random(rowCount: 10, testFraction: 1.5, seed: 1) }
        #expect(throws: SplitError.self) { try Split.random(rowCount: 10, testFraction: -0.1, seed: 1) }
    }

    /// Over many seeds every row is in the test set about testFraction of the time.
    @Test func randomSplitIsUniform() throws {
        var hits = [Int](repeating: 0, count: 10)
        let seeds = 2000
        for seed in 0 ..< seeds {
            for r in try Split.random(rowCount: 10, testFraction: 0.3, seed: UInt64(seed)).test { hits[r] += 1 }
        }
        for h in hits { #expect(abs(Double(h) / Double(seeds) - 0.3) < 0.04, "\(hits)") }
    }

    @Test func timeSplitPutsTheCutoffInTestAndExcludesNulls() throws {
        // 2024-06-01T00:00:00Z = 1717200000 s.
        let cut: Int64 = 1_717_200_000
        let us: [Int64] = [cut * 1_000_000 - 1, cut * 1_000_000, cut * 1_000_000 + 1, 0, -5, (cut + 86_400) * 1_000_000]
        let t = try Table([
            Column(Field("ts", .timestamp(unit: .microseconds, utc: true)), data: .int64(us),
                   validity: [true, true, true, false, true, true]),
            Column(Field("ns", .timestamp(unit: .nanoseconds, utc: true)), data: .int64(us.map { $0 * 1000 + 1 })),
            Column(Field("d", .date), data: .int32([19874, 19875, 19876, 0, -1, 19875]), validity: [true, true, true, true, true, false]),
            Column(Field("x", .int32), data: .int32([1, 2, 3, 4, 5, 6])),
        ])
        let s = try Split.byTime(t, column: "ts", cutoff: "2024-06-01T00:00:00Z")
        #expect(s.train == [0, 4] && s.test == [1, 2, 5] && s.excluded == 1)
        // ns one tick after each µs value: the row at exactly the cut-off stays in test, the one a µs before in train.
        let n = try Split.byTime(t, column: "ns", cutoff: "2024-06-01T02:00:00+02:00")
        #expect(n.train == [0, 3, 4] && n.test == [1, 2, 5] && n.excluded == 0)
        let sub = try Split.byTime(t, column: "ns", cutoff: "2024-06-01T00:00:00.000000001Z")
        #expect(sub.train == [0, 3, 4] && sub.test == [1, 2, 5])
        let sub2 = try Split.byTime(t, column: "ns", cutoff: "2024-06-01T00:00:00.000000002Z")
        #expect(sub2.train == [0, 1, 3, 4] && sub2.test == [2, 5])
        // 2024-06-01 is day 19875.
        let d = try Split.byTime(t, column: "d", cutoff: "2024-06-01")
        #expect(d.train == [0, 3, 4] && d.test == [1, 2] && d.excluded == 1)
        let viaDate = try Split.byTime(t, column: "ts", cutoff: Date(timeIntervalSince1970: TimeInterval(cut)))
        #expect(viaDate == s)
        #expect(throws: SplitError.self) { try Split.byTime(t, column: "x", cutoff: "2024-06-01") }
        #expect(throws: SplitError.self) { try Split.byTime(t, column: "nope", cutoff: "2024-06-01") }
        #expect(throws: SplitError.self) { try Split.byTime(t, column: "ts", cutoff: "June") }
    }

    @Test func rowsAtGathersTheSplit() throws {
        let t = try Table([
            Column(Field("a", .int64), data: .int64([10, 11, 12, 13]), validity: [true, false, true, true]),
            Column(Field("s", .string), data: .bytes(ByteArrayBuffer(strings: ["w", "x", "y", "z"]))),
        ])
        let picked = try t.rows(at: [3, 1])
        #expect(picked.rowCount == 2)
        #expect(picked.row(0) == [.int(13), .string("z")])
        #expect(picked.row(1) == [.null, .string("x")])
        #expect(throws: SplitError.self) { try t.rows(at: [4]) }
    }

    static func randomInteractions(users: Int, items: Int, seed: UInt64) throws -> SparseMatrix<Float> {
        var g = SeededGenerator(seed: seed)
        var entries: [(row: Int, column: Int, value: Float)] = []
        for u in 0 ..< users {
            let n = Int.random(in: 0 ... 30, using: &g)
            for _ in 0 ..< n { entries.append((u, Int.random(in: 0 ..< items, using: &g), Float(Int.random(in: 1 ... 5, using: &g)))) }
        }
        return try SparseMatrix(rows: users, columns: items, entries: entries)
    }

    @Test func perUserHoldsOutAFractionOfEachUser() throws {
        let m = try Self.randomInteractions(users: 300, items: 80, seed: 5)
        let (train, test) = try Split.perUser(m, testFraction: 0.25, seed: 3, minInteractions: 5)
        #expect(train.rows == m.rows && train.columns == m.columns && test.rows == m.rows && test.columns == m.columns)
        #expect(train.nonZeros + test.nonZeros == m.nonZeros)
        for u in 0 ..< m.rows {
            let n = m.row(u).columns.count
            let tr = train.row(u), te = test.row(u)
            let expected = n < 5 ? 0 : min(n - 1, max(1, Int((0.25 * Double(n)).rounded())))
            #expect(te.columns.count == expected, "user \(u): \(n) interactions")
            #expect(Set(tr.columns).isDisjoint(with: te.columns))
            // Union equals the original row, values included.
            var merged: [Int32: Float] = [:]
            for (c, v) in zip(tr.columns, tr.values) { merged[c] = v }
            for (c, v) in zip(te.columns, te.values) { merged[c] = v }
            let original = Dictionary(uniqueKeysWithValues: zip(m.row(u).columns, m.row(u).values))
            #expect(merged == original)
        }
        let again = try Split.perUser(m, testFraction: 0.25, seed: 3, minInteractions: 5)
        #expect(again.train == train && again.test == test)
        let other = try Split.perUser(m, testFraction: 0.25, seed: 4, minInteractions: 5)
        #expect(other.test != test)
        // A user's split does not depend on the other users: the first 100 rows alone split the same.
        let head = try SparseMatrix<Float>(rows: 100, columns: m.columns, rowPointers: Array(m.rowPointers[...100]),
                                           columnIndices: Array(m.columnIndices[..<m.rowPointers[100]]),
                                           values: Array(m.values[..<m.rowPointers[100]]))
        let headSplit = try Split.perUser(head, testFraction: 0.25, seed: 3, minInteractions: 5)
        for u in 0 ..< 100 { #expect(headSplit.test.row(u).columns.elementsEqual(test.row(u).columns)) }
        #expect(throws: SplitError.self) { try Split.perUser(m, testFraction: 1, seed: 1) }
        #expect(throws: SplitError.self) { try Split.perUser(m, testFraction: 0.2, seed: 1, minInteractions: 0) }
    }
}
