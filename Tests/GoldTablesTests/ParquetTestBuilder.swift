@testable import GoldTables

/// A minimal Thrift Compact Protocol writer and a hand-built Parquet file, so the reader's
/// decoding can be checked on bytes constructed independently of any writer library.
struct ThriftTestWriter {
    var bytes: [UInt8] = []
    private var lastIds: [Int16] = [0]

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func header(_ id: Int16, _ type: UInt8) {
        let delta = id - (lastIds.last ?? 0)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastIds[lastIds.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int32) { header(id, 5); zigzag(Int64(v)) }
    mutating func i64(_ id: Int16, _ v: Int64) { header(id, 6); zigzag(v) }
    mutating func bool(_ id: Int16, _ v: Bool) { header(id, v ? 1 : 2) }
    mutating func binary(_ id: Int16, _ b: [UInt8]) { header(id, 8); varint(UInt64(b.count)); bytes += b }
    mutating func string(_ id: Int16, _ s: String) { binary(id, Array(s.utf8)) }

    /// Opens a struct field (or, with id nil, a struct list element).
    mutating func begin(_ id: Int16?) {
        if let id { header(id, 12) }
        lastIds.append(0)
    }

    mutating func end() {
        bytes.append(0)
        lastIds.removeLast()
    }

    mutating func list(_ id: Int16, type: UInt8, count: Int) {
        header(id, 9)
        if count < 15 { bytes.append(UInt8(count) << 4 | type) } else {
            bytes.append(0xF0 | type)
            varint(UInt64(count))
        }
    }
}

/// Builds a two-column Parquet file by hand:
/// `x` REQUIRED INT64 PLAIN = [1, -2, 3, 1 << 40, -5];
/// `s` OPTIONAL BYTE_ARRAY (UTF8), dictionary ["a", "b"], RLE_DICTIONARY = ["a", nil, "b", "a", nil].
struct HandMadeParquet {
    var dictIndexBitWidth: UInt8 = 1
    var dictIndices: [UInt32] = [0, 1, 0]
    var xPageCompressedSizeOverride: Int32?
    /// Sets ColumnChunk.file_path (data in another file) on column x.
    var filePath: String?

    static func bitPack(_ values: [UInt32], width: Int) -> [UInt8] {
        let groups = (values.count + 7) / 8
        var out = [UInt8](repeating: 0, count: groups * width)
        var bit = 0
        for v in values {
            for k in 0 ..< width where (v >> UInt32(k)) & 1 == 1 {
                out[(bit + k) / 8] |= 1 << UInt8((bit + k) % 8)
            }
            bit += width
        }
        return [UInt8(groups << 1 | 1)] + out
    }

    static func le32(_ v: Int) -> [UInt8] { (0 ..< 4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    static func pageHeader(type: Int32, size: Int, compressed: Int32? = nil, body: (inout ThriftTestWriter) -> Void) -> [UInt8] {
        var w = ThriftTestWriter()
        w.begin(nil)
        w.i32(1, type)
        w.i32(2, Int32(size))
        w.i32(3, compressed ?? Int32(size))
        body(&w)
        w.end()
        return w.bytes
    }

    func build() -> [UInt8] {
        var file = Array("PAR1".utf8)
        // Column x: one v1 data page, PLAIN, no levels.
        let xs: [Int64] = [1, -2, 3, 1 << 40, -5]
        var xPayload: [UInt8] = []
        for v in xs { xPayload += (0 ..< 8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let xOffset = file.count
        file += Self.pageHeader(type: 0, size: xPayload.count, compressed: xPageCompressedSizeOverride) { w in
            w.begin(5); w.i32(1, 5); w.i32(2, 0); w.i32(3, 3); w.i32(4, 3); w.end()
        }
        file += xPayload
        let xSize = file.count - xOffset
        // Column s: dictionary page + v1 data page.
        let dictPayload: [UInt8] = Self.le32(1) + [UInt8(ascii: "a")] + Self.le32(1) + [UInt8(ascii: "b")]
        let sDictOffset = file.count
        file += Self.pageHeader(type: 2, size: dictPayload.count) { w in
            w.begin(7); w.i32(1, 2); w.i32(2, 0); w.end()
        }
        file += dictPayload
        let sDataOffset = file.count
        let defs = Self.bitPack([1, 0, 1, 1, 0], width: 1)
        let sPayload = Self.le32(defs.count) + defs + [dictIndexBitWidth] + Self.bitPack(dictIndices, width: Int(dictIndexBitWidth))
        file += Self.pageHeader(type: 0, size: sPayload.count) { w in
            w.begin(5); w.i32(1, 5); w.i32(2, 8); w.i32(3, 3); w.i32(4, 3); w.end()
        }
        file += sPayload
        let sSize = file.count - sDictOffset

        var m = ThriftTestWriter()
        m.begin(nil)
        m.i32(1, 1)
        m.list(2, type: 12, count: 3)
        m.begin(nil); m.string(4, "schema"); m.i32(5, 2); m.end()
        m.begin(nil); m.i32(1, 2); m.i32(3, 0); m.string(4, "x"); m.end()
        m.begin(nil); m.i32(1, 6); m.i32(3, 1); m.string(4, "s"); m.i32(6, 0); m.end()
        m.i64(3, 5)
        m.list(4, type: 12, count: 1)
        m.begin(nil)
        m.list(1, type: 12, count: 2)
        for (name, type, offset, dictOffset, size, encs) in [("x", Int32(2), xOffset, nil as Int?, xSize, [Int32(0)]),
                                                             ("s", 6, sDataOffset, sDictOffset, sSize, [0, 8, 3])] {
            m.begin(nil)
            if name == "x", let fp = filePath { m.string(1, fp) }
            m.i64(2, Int64(offset))
            m.begin(3)
            m.i32(1, type)
            m.list(2, type: 5, count: encs.count)
            for e in encs { m.zigzag(Int64(e)) }
            m.list(3, type: 8, count: 1)
            m.varint(UInt64(name.utf8.count)); m.bytes += Array(name.utf8)
            m.i32(4, 0)
            m.i64(5, 5)
            m.i64(6, Int64(size))
            m.i64(7, Int64(size))
            m.i64(9, Int64(offset))
            if let d = dictOffset { m.i64(11, Int64(d)) }
            m.end()
            m.end()
        }
        m.i64(2, Int64(file.count))
        m.i64(3, 5)
        m.end()
        m.string(6, "mltrack test builder")
        m.end()
        file += m.bytes
        file += Self.le32(m.bytes.count)
        file += Array("PAR1".utf8)
        return file
    }
}

/// A hand-built single-row-group file with an arbitrary schema and one uncompressed v1 PLAIN page
/// per column (payload given with its level blocks).
struct FlexParquet {
    struct Element {
        var name: String
        var type: Int32? = nil
        var repetition: Int32? = nil
        var children: Int32? = nil
        var converted: Int32? = nil
    }
    struct Chunk {
        var path: [String]
        var type: Int32
        var numValues: Int
        var payload: [UInt8]
    }
    var schema: [Element]
    var chunks: [Chunk]
    var rows: Int

    /// A level block: u32 length + bit-packed hybrid data.
    static func levels(_ v: [UInt32], width: Int) -> [UInt8] {
        let packed = HandMadeParquet.bitPack(v, width: width)
        return HandMadeParquet.le32(packed.count) + packed
    }

    static func plainInt32(_ v: [Int32]) -> [UInt8] {
        v.flatMap { x in (0 ..< 4).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }
    }

    func build() -> [UInt8] {
        var file = Array("PAR1".utf8)
        var offsets: [(Int, Int)] = []
        for c in chunks {
            let start = file.count
            file += HandMadeParquet.pageHeader(type: 0, size: c.payload.count) { w in
                w.begin(5); w.i32(1, Int32(c.numValues)); w.i32(2, 0); w.i32(3, 3); w.i32(4, 3); w.end()
            }
            file += c.payload
            offsets.append((start, file.count - start))
        }
        var m = ThriftTestWriter()
        m.begin(nil)
        m.i32(1, 1)
        m.list(2, type: 12, count: schema.count)
        for e in schema {
            m.begin(nil)
            if let t = e.type { m.i32(1, t) }
            if let r = e.repetition { m.i32(3, r) }
            m.string(4, e.name)
            if let n = e.children { m.i32(5, n) }
            if let c = e.converted { m.i32(6, c) }
            m.end()
        }
        m.i64(3, Int64(rows))
        m.list(4, type: 12, count: 1)
        m.begin(nil)
        m.list(1, type: 12, count: chunks.count)
        for (c, (off, size)) in zip(chunks, offsets) {
            m.begin(nil)
            m.i64(2, Int64(off))
            m.begin(3)
            m.i32(1, c.type)
            m.list(2, type: 5, count: 1); m.zigzag(0)
            m.list(3, type: 8, count: c.path.count)
            for p in c.path { m.varint(UInt64(p.utf8.count)); m.bytes += Array(p.utf8) }
            m.i32(4, 0)
            m.i64(5, Int64(c.numValues))
            m.i64(6, Int64(size))
            m.i64(7, Int64(size))
            m.i64(9, Int64(off))
            m.end()
            m.end()
        }
        m.i64(2, Int64(file.count))
        m.i64(3, Int64(rows))
        m.end()
        m.end()
        return file + m.bytes + HandMadeParquet.le32(m.bytes.count) + Array("PAR1".utf8)
    }
}
