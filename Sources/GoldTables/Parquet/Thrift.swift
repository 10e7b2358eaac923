/// Thrift Compact Protocol decoding over a byte buffer, as Parquet footers and page headers use it.
///
/// Every read checks the buffer end; nesting is bounded by `maxDepth`; unknown fields are skipped.
struct ThriftReader {
    /// Compact protocol type ids.
    enum T {
        static let boolTrue: UInt8 = 1, boolFalse: UInt8 = 2, i8: UInt8 = 3, i16: UInt8 = 4, i32: UInt8 = 5
        static let i64: UInt8 = 6, double: UInt8 = 7, binary: UInt8 = 8, list: UInt8 = 9, set: UInt8 = 10
        static let map: UInt8 = 11, structure: UInt8 = 12
    }

    static let maxDepth = 48

    let buf: UnsafeRawBufferPointer
    var pos: Int
    var depth = 0

    init(_ buf: UnsafeRawBufferPointer, at pos: Int = 0) {
        self.buf = buf
        self.pos = pos
    }

    var remaining: Int { buf.count - pos }

    func fail(_ what: String) -> PQDecodeError {
        PQDecodeError("corrupt Thrift data at byte \(pos): \(what)")
    }

    mutating func byte() throws -> UInt8 {
        guard pos < buf.count else { throw fail("unexpected end of data") }
        let b = buf[pos]
        pos += 1
        return b
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw fail("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw fail("varint longer than 10 bytes") }
        }
    }

    mutating func i64() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func i32() throws -> Int32 {
        let v = try i64()
        guard v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw fail("i32 out of range") }
        return Int32(v)
    }

    mutating func i16() throws -> Int16 {
        let v = try i64()
        guard v >= Int64(Int16.min), v <= Int64(Int16.max) else { throw fail("i16 out of range") }
        return Int16(v)
    }

    mutating func i8() throws -> Int8 {
        Int8(bitPattern: try byte())
    }

    mutating func double() throws -> Double {
        guard remaining >= 8 else { throw fail("unexpected end of data in double") }
        let bits = buf.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
        pos += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// A binary/string field: varint length + bytes (a view into the buffer).
    mutating func binary() throws -> UnsafeRawBufferPointer {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw fail("binary length \(n) past the end (\(remaining) bytes left)") }
        let out = UnsafeRawBufferPointer(rebasing: buf[pos ..< pos + Int(n)])
        pos += Int(n)
        return out
    }

    mutating func bytes() throws -> [UInt8] { Array(try binary()) }

    mutating func string() throws -> String {
        String(decoding: try binary(), as: UTF8.self)
    }

    /// The next field header of the current struct, or nil at STOP. `lastId` is the previous field
    /// id of this struct (start at 0).
    mutating func field(_ lastId: inout Int16) throws -> (id: Int16, type: UInt8)? {
        let b = try byte()
        if b == 0 { return nil }
        let type = b & 0x0F
        let delta = b >> 4
        let id: Int16
        if delta == 0 {
            id = try i16()
        } else {
            let (sum, overflow) = lastId.addingReportingOverflow(Int16(delta))
            guard !overflow else { throw fail("field id overflow") }
            id = sum
        }
        guard type >= 1 && type <= 12 else { throw fail("unknown field type \(type)") }
        lastId = id
        return (id, type)
    }

    /// The value of a bool field (carried in its type nibble).
    func boolField(_ type: UInt8) throws -> Bool {
        switch type {
        case T.boolTrue: return true
        case T.boolFalse: return false
        default: throw fail("expected a bool field, found type \(type)")
        }
    }

    /// A list/set header: element count (checked against the bytes left) and element type.
    mutating func listHeader() throws -> (count: Int, type: UInt8) {
        let b = try byte()
        let type = b & 0x0F
        var n = UInt64(b >> 4)
        if n == 15 { n = try varint() }
        guard type >= 1 && type <= 12 else { throw fail("unknown list element type \(type)") }
        // Every element takes at least one byte.
        guard n <= UInt64(remaining) else { throw fail("list of \(n) elements past the end") }
        return (Int(n), type)
    }

    mutating func enter() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    mutating func leave() { depth -= 1 }

    /// Checks that a known field has the expected type; a mismatch is corrupt data.
    func expect(_ type: UInt8, _ want: UInt8, _ name: String) throws {
        if want == T.boolTrue {
            guard type == T.boolTrue || type == T.boolFalse else { throw fail("field \(name) has type \(type), expected bool") }
            return
        }
        guard type == want else { throw fail("field \(name) has type \(type), expected \(want)") }
    }

    /// Skips one value of `type`.
    mutating func skip(_ type: UInt8) throws {
        switch type {
        case T.boolTrue, T.boolFalse: return
        case T.i8: _ = try byte()
        case T.i16, T.i32, T.i64: _ = try varint()
        case T.double:
            guard remaining >= 8 else { throw fail("unexpected end of data in double") }
            pos += 8
        case T.binary: _ = try binary()
        case T.list, T.set:
            let (n, et) = try listHeader()
            try enter()
            for _ in 0 ..< n {
                if et == T.boolTrue || et == T.boolFalse { _ = try byte() } else { try skip(et) }
            }
            leave()
        case T.map:
            let n = try varint()
            guard n <= UInt64(remaining) else { throw fail("map of \(n) entries past the end") }
            if n == 0 { return }
            let kv = try byte()
            let kt = kv >> 4, vt = kv & 0x0F
            guard kt >= 1 && kt <= 12 && vt >= 1 && vt <= 12 else { throw fail("bad map types") }
            try enter()
            for _ in 0 ..< Int(n) {
                if kt == T.boolTrue || kt == T.boolFalse { _ = try byte() } else { try skip(kt) }
                if vt == T.boolTrue || vt == T.boolFalse { _ = try byte() } else { try skip(vt) }
            }
            leave()
        case T.structure:
            try enter()
            var last: Int16 = 0
            while let (_, t) = try field(&last) { try skip(t) }
            leave()
        default:
            throw fail("unknown type \(type)")
        }
    }
}
