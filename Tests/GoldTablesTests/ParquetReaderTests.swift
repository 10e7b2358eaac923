import Foundation
import Testing
@testable import GoldTables

@Suite struct ParquetReaderTests {
    // MARK: Thrift

    @Test func thriftDecodesHandMadeSchemaElementsWithLongListsAndBoolFields() throws {
        var w = ThriftTestWriter()
        // A list of 20 schema elements (long-form list header), one with a TIMESTAMP logical type
        // whose isAdjustedToUTC travels in the field header, and an unknown field 33 (long-form id).
        w.begin(nil)
        w.list(2, type: 12, count: 20)
        w.begin(nil); w.string(4, "root"); w.i32(5, 19); w.end()
        for i in 0 ..< 19 {
            w.begin(nil)
            w.i32(1, 2)
            w.i32(3, 1)
            w.string(4, "c\(i)")
            if i == 7 {
                w.begin(10); w.begin(8); w.bool(1, true); w.begin(2); w.begin(2); w.end(); w.end(); w.end(); w.end()
                w.header(33, 8); w.varint(3); w.bytes += [1, 2, 3] // unknown field, skipped
            }
            w.end()
        }
        w.i64(3, 42)
        w.list(4, type: 12, count: 0)
        w.end()
        var r = ThriftReader(UnsafeRawBufferPointer(start: nil, count: 0))
        let meta = try w.bytes.withUnsafeBytes { buf -> ParquetMetadata in
            r = ThriftReader(buf)
            return try PQThriftDecode.fileMetaData(&r)
        }
        #expect(meta.numRows == 42)
        #expect(meta.schema.count == 20)
        #expect(meta.schema[8].name == "c7")
        #expect(meta.schema[8].logicalType == .timestamp(utc: true, unit: .microseconds))
        #expect(meta.schema[9].logicalType == nil)
        let tree = try PQSchemaTree(meta.schema)
        #expect(tree.leaves.count == 19)
        #expect(tree.leaves[7].type == .timestamp(unit: .microseconds, utc: true))
        #expect(tree.leaves[7].maxDef == 1)
    }

    @Test func thriftVarintsAndZigzag() throws {
        let bytes: [UInt8] = [0x96, 0x01, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        try bytes.withUnsafeBytes { (buf: UnsafeRawBufferPointer) throws in
            var r = ThriftReader(buf)
            #expect(try r.varint() == 150)
            #expect(try r.i32() == -2)
            #expect(try r.i32() == Int32.min)
            #expect(throws: PQDecodeError.self) { try r.byte() }
        }
    }

    @Test func thriftRejectsDeepNestingAndOverlongLists() throws {
        var deep = ThriftTestWriter()
        deep.begin(nil)
        for _ in 0 ..< 500 { deep.begin(15) }
        for _ in 0 ..< 500 { deep.end() }
        deep.end()
        deep.bytes.withUnsafeBytes { buf in
            var r = ThriftReader(buf)
            #expect(throws: PQDecodeError.self) { try PQThriftDecode.fileMetaData(&r) }
        }
        // A list claiming a billion elements in a few bytes.
        let bomb: [UInt8] = [0x19, 0xFC, 0x80, 0x94, 0xEB, 0xDC, 0x03, 0x00]
        bomb.withUnsafeBytes { buf in
            var r = ThriftReader(buf)
            #expect(throws: PQDecodeError.self) { try PQThriftDecode.fileMetaData(&r) }
        }
    }

    // MARK: RLE hybrid and DELTA_BINARY_PACKED (hand-computed)

    @Test func rleHybridBitPackedAndRunsFromTheSpec() throws {
        // Bit-packed 0…7 at width 3 (the spec's example bytes) then an RLE run of five 4s.
        let data: [UInt8] = [0x03, 0x88, 0xC6, 0xFA, 0x0A, 0x04]
        let v: [Int32] = try data.withUnsafeBytes { try PQHybrid.decode($0, bitWidth: 3, count: 13) }
        #expect(v == [0, 1, 2, 3, 4, 5, 6, 7, 4, 4, 4, 4, 4])
        // Width 0: all zeros, no value bytes, as an RLE run and as a bit-packed run (parquet-mr
        // writes the latter), whatever the destination held before.
        let z: [Int32] = try [UInt8]([0x10]).withUnsafeBytes { try PQHybrid.decode($0, bitWidth: 0, count: 8) }
        #expect(z == Array(repeating: 0, count: 8))
        var dirty: [Int32] = Array(repeating: 9, count: 5)
        _ = try [UInt8]([0x03]).withUnsafeBytes { src in
            try dirty.withUnsafeMutableBufferPointer { b in
                guard let p = b.baseAddress else { return 0 }
                return try PQHybrid.decode(src, bitWidth: 0, count: 5, into: p)
            }
        }
        #expect(dirty == [0, 0, 0, 0, 0])
        // Truncated: fewer values than asked is an error, never a hang.
        #expect(throws: PQDecodeError.self) {
            let _: [Int32] = try [UInt8]([0x0A, 0x04]).withUnsafeBytes { try PQHybrid.decode($0, bitWidth: 3, count: 9) }
        }
        #expect(throws: PQDecodeError.self) {
            let _: [Int32] = try data.withUnsafeBytes { try PQHybrid.decode($0, bitWidth: 33, count: 1) }
        }
    }

    @Test func deltaBinaryPackedSpecExamples() throws {
        var out: [Int64] = []
        // 1,2,3,4,5: min delta 1, all widths 0.
        let a: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
        let usedA = try a.withUnsafeBytes { try PQDelta.decode($0, maxCount: 5, into: &out) }
        #expect(out == [1, 2, 3, 4, 5])
        #expect(usedA == 10)
        // 7,5,3,1,2,3,4,5: min delta -2, first miniblock width 2 holding 0,0,0,3,3,3,3.
        let b: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0, 0xC0, 0xFF, 0, 0, 0, 0, 0, 0]
        out = []
        let usedB = try b.withUnsafeBytes { try PQDelta.decode($0, maxCount: 8, into: &out) }
        #expect(out == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(usedB == 18)
        // INT32 wrap-around: Int32.max then +1 wraps to Int32.min.
        var w = ThriftTestWriter()
        w.bytes = [0x80, 0x01, 0x04, 0x02]
        w.varint(4_294_967_294)
        w.bytes += [0x02, 0, 0, 0, 0]
        var buf = PQValueBuffer(physical: .int32, typeLength: 0)
        var scratch: [Int64] = []
        try w.bytes.withUnsafeBytes { try buf.appendDeltaBinaryPacked($0, count: 2, scratch: &scratch) }
        #expect(buf.i32 == [Int32.max, Int32.min])
        // More values than the page holds is refused.
        out = []
        #expect(throws: PQDecodeError.self) { try a.withUnsafeBytes { try PQDelta.decode($0, maxCount: 4, into: &out) } }
    }

    // MARK: A hand-built file

    @Test func readsHandBuiltFile() throws {
        let f = try ParquetFile(bytes: HandMadeParquet().build(), name: "hand.parquet")
        #expect(f.schema.names == ["x", "s"])
        #expect(f.schema["x"]?.nullable == false)
        let t = try f.readRowGroup(0, columns: nil)
        #expect(t.column(named: "x")?.data == .int64([1, -2, 3, 1 << 40, -5]))
        let s = try #require(t.column(named: "s"))
        #expect((0 ..< 5).map { s.value(at: $0) } == [.string("a"), .null, .string("b"), .string("a"), .null])
        if case .dictionary = s.data {} else { Issue.record("expected a dictionary-coded column") }
        let leaf = try f.readLeaf(path: ["s"], rowGroup: 0)
        #expect(leaf.defLevels == [1, 0, 1, 1, 0])
        #expect(leaf.repLevels == nil)
        #expect(leaf.values.materializedBytes == ByteArrayBuffer(strings: ["a", "b", "a"]))
        // Projection decodes only what is asked, in the order asked.
        let p = try f.readRowGroup(0, columns: ["s"])
        #expect(p.schema.names == ["s"])
        #expect(throws: ParquetError.self) { try f.readRowGroup(0, columns: ["nope"]) }
        #expect(throws: ParquetError.self) { try f.readRowGroup(1, columns: nil) }
    }

    // MARK: Malformed input

    static func expectParquetError(_ bytes: [UInt8], _ what: String, mentioning: String? = nil) {
        do {
            let f = try ParquetFile(bytes: bytes, name: what)
            _ = try f.read()
            Issue.record("\(what): expected an error")
        } catch let e as ParquetError {
            #expect(e.path == what)
            if let m = mentioning { #expect(e.message.contains(m), "\(e.message)") }
        } catch {
            Issue.record("\(what): unexpected error type \(error)")
        }
    }

    @Test func truncatedFilesThrow() {
        let good = HandMadeParquet().build()
        for n in [0, 3, 8, 11, 12, 20, good.count / 2, good.count - 9, good.count - 1] {
            Self.expectParquetError(Array(good.prefix(n)), "truncated-\(n)")
        }
    }

    @Test func badMagicAndFooterLengthThrow() {
        var bad = HandMadeParquet().build()
        bad[bad.count - 1] = UInt8(ascii: "X")
        Self.expectParquetError(bad, "bad-magic", mentioning: "magic")
        var enc = HandMadeParquet().build()
        enc[enc.count - 1] = UInt8(ascii: "E")
        Self.expectParquetError(enc, "encrypted", mentioning: "encrypted")
        var head = HandMadeParquet().build()
        head[0] = 0
        Self.expectParquetError(head, "bad-leading-magic")
        var len = HandMadeParquet().build()
        len[len.count - 5] = 0x7F
        Self.expectParquetError(len, "footer-length", mentioning: "footer length")
    }

    @Test func dictionaryIndexOutOfRangeAndWideBitWidthThrow() {
        var h = HandMadeParquet()
        h.dictIndexBitWidth = 3
        h.dictIndices = [0, 1, 7]
        Self.expectParquetError(h.build(), "dict-index", mentioning: "dictionary index 7 out of range")
        var w = HandMadeParquet()
        w.dictIndexBitWidth = 33
        w.dictIndices = []
        Self.expectParquetError(w.build(), "bit-width", mentioning: "bit width 33")
    }

    @Test func columnChunksInOtherFilesAreRefused() {
        var h = HandMadeParquet()
        h.filePath = "other.parquet"
        Self.expectParquetError(h.build(), "file-path", mentioning: "another file")
    }

    @Test func pageSizesPastTheChunkOrNegativeThrow() {
        var h = HandMadeParquet()
        h.xPageCompressedSizeOverride = 1_000_000
        Self.expectParquetError(h.build(), "page-too-long", mentioning: "past the end of the column chunk")
        h.xPageCompressedSizeOverride = -7
        Self.expectParquetError(h.build(), "page-negative", mentioning: "negative page size")
    }

    /// Every single-byte corruption of the file either reads or throws a ParquetError; none
    /// crashes or hangs.
    @Test func everySingleByteCorruptionIsHandled() {
        let good = HandMadeParquet().build()
        for i in 0 ..< good.count {
            for v: UInt8 in [0x00, 0xFF, good[i] ^ 0x01, 0x7F, 0x80] {
                var b = good
                b[i] = v
                do {
                    let f = try ParquetFile(bytes: b, name: "corrupt")
                    for g in 0 ..< f.rowGroupCount {
                        _ = try? f.readRowGroup(g, columns: nil)
                        for l in f.leaves { _ = try? f.readLeaf(path: l.path, rowGroup: g) }
                    }
                } catch is ParquetError {
                } catch {
                    Issue.record("byte \(i) = \(v): unexpected error type \(error)")
                }
            }
        }
    }

    @Test func deepSchemaNestingThrows() throws {
        var m = ThriftTestWriter()
        m.begin(nil)
        m.i32(1, 1)
        let depth = 200
        m.list(2, type: 12, count: depth + 1)
        m.begin(nil); m.string(4, "schema"); m.i32(5, 1); m.end()
        for i in 0 ..< depth {
            m.begin(nil)
            m.i32(3, 1)
            m.string(4, "g\(i)")
            if i < depth - 1 { m.i32(5, 1) } else { m.i32(1, 1) }
            m.end()
        }
        m.i64(3, 0)
        m.list(4, type: 12, count: 0)
        m.end()
        let file = Array("PAR1".utf8) + m.bytes + HandMadeParquet.le32(m.bytes.count) + Array("PAR1".utf8)
        #expect(throws: ParquetError.self) { try ParquetFile(bytes: file, name: "deep") }
    }

    @Test func directoryAndMissingPathThrow() {
        #expect(throws: ParquetError.self) { try ParquetFile(path: "/nonexistent/x.parquet") }
        #expect(throws: ParquetError.self) { try ParquetFile(path: "/tmp") }
    }
}

@Suite struct ParquetNestedShapeTests {
    /// Rows [1,2], [], null, [3] as a legacy 2-level list (`repeated int32 array` directly in the
    /// LIST group), a bare top-level repeated field, and a struct holding a bare repeated field.
    @Test func legacyTwoLevelListsAndBareRepeatedFields() throws {
        let rep = FlexParquet.levels([0, 1, 0, 0, 0], width: 1)
        let f = FlexParquet(
            schema: [
                .init(name: "schema", children: 3),
                .init(name: "arr", repetition: 1, children: 1, converted: 3),
                .init(name: "array", type: 1, repetition: 2),
                .init(name: "bare", type: 1, repetition: 2),
                .init(name: "st", repetition: 1, children: 1),
                .init(name: "items", type: 1, repetition: 2),
            ],
            chunks: [
                .init(path: ["arr", "array"], type: 1, numValues: 5,
                      payload: rep + FlexParquet.levels([2, 2, 1, 0, 2], width: 2) + FlexParquet.plainInt32([1, 2, 3])),
                // bare: [1,2], [], [], [3]  (max def 1, no null possible)
                .init(path: ["bare"], type: 1, numValues: 5,
                      payload: rep + FlexParquet.levels([1, 1, 0, 0, 1], width: 1) + FlexParquet.plainInt32([1, 2, 3])),
                // st: {items:[1,2]}, {items:[]}, null, {items:[3]}
                .init(path: ["st", "items"], type: 1, numValues: 5,
                      payload: rep + FlexParquet.levels([2, 2, 1, 0, 2], width: 2) + FlexParquet.plainInt32([1, 2, 3])),
            ],
            rows: 4)
        let file = try ParquetFile(bytes: f.build(), name: "two-level")
        #expect(file.schema["arr"]?.type == .json(nestedType: "list<int32>"))
        #expect(file.schema["bare"]?.type == .json(nestedType: "list<int32>"))
        #expect(file.schema["st"]?.type == .json(nestedType: "struct<items:list<int32>>"))
        #expect(file.leaves.map(\.maxDef) == [2, 1, 2])
        #expect(file.leaves.map(\.maxRep) == [1, 1, 1])
        let t = try file.readRowGroup(0)
        let arr = try #require(t.column(named: "arr"))
        #expect((0 ..< 4).map { arr.value(at: $0) } == [.json("[1,2]"), .json("[]"), .null, .json("[3]")])
        let bare = try #require(t.column(named: "bare"))
        #expect((0 ..< 4).map { bare.value(at: $0) } == [.json("[1,2]"), .json("[]"), .json("[]"), .json("[3]")])
        let st = try #require(t.column(named: "st"))
        #expect((0 ..< 4).map { st.value(at: $0) }
            == [.json("{\"items\":[1,2]}"), .json("{\"items\":[]}"), .null, .json("{\"items\":[3]}")])
        let leaf = try file.readLeaf(path: ["arr", "array"], rowGroup: 0)
        #expect(leaf.repLevels == [0, 1, 0, 0, 0])
        #expect(leaf.defLevels == [2, 2, 1, 0, 2])
        #expect(leaf.values == .int32([1, 2, 3]))
    }

    /// Levels that disagree with the row count or between leaves throw, naming the column.
    @Test func inconsistentLevelsThrowNamingTheColumn() throws {
        let f = FlexParquet(
            schema: [
                .init(name: "schema", children: 1),
                .init(name: "arr", repetition: 1, children: 1, converted: 3),
                .init(name: "array", type: 1, repetition: 2),
            ],
            chunks: [
                // Second entry says "continue the list" but the first row was null.
                .init(path: ["arr", "array"], type: 1, numValues: 3,
                      payload: FlexParquet.levels([0, 1, 0], width: 1) + FlexParquet.levels([0, 2, 2], width: 2)
                          + FlexParquet.plainInt32([1, 2])),
            ],
            rows: 2)
        let file = try ParquetFile(bytes: f.build(), name: "bad-levels")
        do {
            _ = try file.readRowGroup(0)
            Issue.record("expected an error")
        } catch let e as ParquetError {
            #expect(e.message.contains("'arr'"), "\(e.message)")
        }
    }
}
