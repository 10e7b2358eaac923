import Testing
@testable import GoldTables

/// TableSummary (gold stats): nulls, min/max (NaN ignored), exact and HyperLogLog distinct counts.
@Suite struct RenderStatsTests {
    final class Batches: BatchStream {
        let schema: Schema
        var parts: [Table]
        init(_ parts: [Table]) {
            self.parts = parts
            schema = parts.first?.schema ?? Schema([])
        }
        func next() throws -> Table? { parts.isEmpty ? nil : parts.removeFirst() }
    }

    @Test func exactSummaryAcrossBatches() throws {
        let f = [Field("x", .float64), Field("s", .string), Field("d", .decimal(precision: 9, scale: 2)),
                 Field("t", .timestamp(unit: .nanoseconds, utc: true)), Field("k", .string)]
        let b1 = try Table([
            Column(f[0], data: .double([3, .nan, -1]), validity: [true, true, false]),
            Column(f[1], data: .bytes(ByteArrayBuffer(strings: ["pear", "apple", ""]))),
            Column(f[2], data: .decimal([-250, 10, 10])),
            Column(f[3], data: .int64([5, -5, 0])),
            Column(f[4], data: .dictionary(indices: [1, 1, 0], dictionary: ByteArrayBuffer(strings: ["b", "a", "z"]))),
        ])
        let b2 = try Table([
            Column(f[0], data: .double([0.5, -0.0])),
            Column(f[1], data: .bytes(ByteArrayBuffer(strings: ["zoo", "pear"])), validity: [true, false]),
            Column(f[2], data: .decimal([7, 999])),
            Column(f[3], data: .int64([1, 2])),
            Column(f[4], data: .dictionary(indices: [0, 0], dictionary: ByteArrayBuffer(strings: ["c"]))),
        ])
        let s = try TableSummary.compute(Batches([b1, b2]))
        #expect(s.rows == 5)
        let x = s.columns[0]
        #expect(x.nulls == 1 && x.min == .double(-0.0) && x.max == .double(3) && x.distinct == 4 && x.distinctExact)
        let str = s.columns[1]
        #expect(str.nulls == 1 && str.min == .string("") && str.max == .string("zoo") && str.distinct == 4)
        let d = s.columns[2]
        #expect(d.min == .decimal(unscaled: -250, scale: 2) && d.max == .decimal(unscaled: 999, scale: 2) && d.distinct == 4)
        let t = s.columns[3]
        #expect(t.min == .timestamp(-5, .nanoseconds, utc: true) && t.max == .timestamp(5, .nanoseconds, utc: true))
        let k = s.columns[4]
        #expect(k.min == .string("a") && k.max == .string("c") && k.distinct == 3)  // "z" is unused
    }

    @Test func hyperLogLogBeyondTheExactLimit() throws {
        let n = 300_000
        let t = try Table([Column(Field("id", .int64), data: .int64((0 ..< Int64(n)).map { $0 * 7 }))])
        let s = try TableSummary.compute(Batches([t.slice(0 ..< 150_000), t.slice(150_000 ..< n)]))
        let c = s.columns[0]
        #expect(!c.distinctExact)
        #expect(abs(Double(c.distinct) - Double(n)) / Double(n) < 0.03, "estimate \(c.distinct)")
        let small = try TableSummary.compute(Batches([t.slice(0 ..< 5000)]), exactDistinctLimit: 1000)
        #expect(!small.columns[0].distinctExact)
        #expect(abs(Double(small.columns[0].distinct) - 5000) / 5000 < 0.03)
    }

    @Test func alignedText() throws {
        let t = try Table([
            Column(Field("id", .int64), data: .int64([1, 100])),
            Column(Field("name", .string), data: .bytes(ByteArrayBuffer(strings: ["a\nb", "long value here"])),
                   validity: [true, false]),
        ])
        #expect(TableRenderer.aligned(t, maxCellWidth: 8) == """
            id     name
            int64  string
            -----  ------
                1  a\\nb
              100  null

            """)
    }
}
