/// A Thrift Compact Protocol encoder, just enough for Parquet's footer and page headers.
///
/// Structs are written field by field in ascending id order; the encoder tracks the previous field id
/// of every open struct so it can use the short (delta) field header.
///
/// ```swift
/// var e = ThriftCompactEncoder()
/// e.structBegin()
/// e.i32(1, 2)              // field 1: i32 = 2
/// e.string(4, "schema")    // field 4: binary
/// e.structEnd()
/// ```
struct ThriftCompactEncoder {
    /// Compact protocol type ids.
    enum TType: UInt8 {
        case boolTrue = 1, boolFalse = 2, i8 = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8
        case list = 9, set = 10, map = 11, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastId: Int16 = 0
    private var stack: [Int16] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        lastId = 0
        stack.removeAll(keepingCapacity: true)
    }

    // MARK: Primitives

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always)
    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: TType) {
        let delta = Int(id) - Int(lastId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta << 4) | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastId = id
    }

    // MARK: Structs

    /// Opens a struct (the top-level one, or a list element); pair with ``structEnd()``.
    mutating func structBegin() {
        stack.append(lastId)
        lastId = 0
    }

    /// Writes STOP and returns to the enclosing struct.
    mutating func structEnd() {
        bytes.append(0)
        lastId = stack.popLast() ?? 0
    }

    /// A struct-typed field: writes the header and opens the struct.
    mutating func fieldStructBegin(_ id: Int16) {
        fieldHeader(id, .structure)
        structBegin()
    }

    /// A union field holding an empty struct (`STRING`, `DATE`, a `TimeUnit` …).
    mutating func emptyStruct(_ id: Int16) {
        fieldStructBegin(id)
        structEnd()
    }

    // MARK: Fields

    mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func i8(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .i8)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func i16(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        zigzag(Int64(value))
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        zigzag(Int64(value))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        zigzag(value)
    }

    mutating func binary<C: Collection>(_ id: Int16, _ value: C) where C.Element == UInt8 {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) {
        binary(id, value.utf8)
    }

    /// A list field's header; then write `count` elements (``listI32Element(_:)``,
    /// ``listStringElement(_:)``, or ``structBegin()``…``structEnd()`` per struct element).
    mutating func listBegin(_ id: Int16, elementType: TType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count << 4) | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            varint(UInt64(count))
        }
    }

    mutating func listI32Element(_ value: Int32) {
        zigzag(Int64(value))
    }

    mutating func listStringElement(_ value: String) {
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }
}
