import Testing
@testable import GoldTables

@Suite struct TableTests {
    @Test func buildsAndReadsCells() throws {
        let t = try Table([
            Column(Field("id", .int64, nullable: false), data: .int64([1, 2, 3])),
            Column(Field("name", .string), data: .bytes(ByteArrayBuffer(strings: ["a", "", "ccc"])), validity: [true, false, true]),
            Column(Field("day", .date), data: .int32([0, 19_000, -1])),
        ])
        #expect(t.rowCount == 3)
        #expect(t.column(named: "NAME")?.value(at: 1) == .null)
        #expect(t.row(2) == [.int(3), .string("ccc"), .date(-1)])
        #expect(t.column(named: "name")?.nullCount == 1)
    }

    @Test func rejectsRaggedAndDuplicateColumns() {
        #expect(throws: TableError.self) {
            try Table([Column(Field("a", .int32), data: .int32([1])), Column(Field("b", .int32), data: .int32([1, 2]))])
        }
        #expect(throws: TableError.self) {
            try Table([Column(Field("a", .int32), data: .int32([1])), Column(Field("A", .int32), data: .int32([1]))])
        }
    }

    @Test func concatenatesSlicesAndFilters() throws {
        let f = Field("s", .string)
        let a = Column(f, data: .dictionary(indices: [0, 1], dictionary: ByteArrayBuffer(strings: ["x", "y"])))
        let b = Column(f, data: .bytes(ByteArrayBuffer(strings: ["z"])), validity: [false])
        let c = try Column.concatenate([a, b], field: f)
        #expect((0 ..< 3).map { c.value(at: $0) } == [.string("x"), .string("y"), .null])
        let t = try Table([c])
        #expect(t.slice(1 ..< 3).row(0) == [.string("y")])
        #expect(t.filter([true, false, true]).rowCount == 2)
        #expect(t.filter([true, false, true]).row(1) == [.null])
    }

    @Test func schemaFingerprintIsStableAndSensitive() {
        let s1 = Schema([Field("a", .int64), Field("b", .timestamp(unit: .microseconds, utc: true))])
        let s2 = Schema([Field("a", .int64), Field("b", .timestamp(unit: .microseconds, utc: false))])
        #expect(s1.fingerprint == Schema(s1.fields).fingerprint)
        #expect(s1.fingerprint != s2.fingerprint)
        #expect(s1.fingerprint.count == 16)
    }

    @Test func gatherPicksRowsInOrder() {
        let c = Column(Field("s", .string), data: .bytes(ByteArrayBuffer(strings: ["a", "bb", "", "ccc"])),
                       validity: [true, true, false, true])
        let g = c.gather([3, 0, 2, 3])
        #expect((0 ..< 4).map { g.value(at: $0) } == [.string("ccc"), .string("a"), .null, .string("ccc")])
        let n = Column(Field("n", .int64), data: .int64([10, 20, 30]))
        #expect(n.gather([]).count == 0)
        #expect(n.gather([1, 1]).data == .int64([20, 20]))
    }
}
