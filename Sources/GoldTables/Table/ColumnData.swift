/// Variable-length values (strings, binary, JSON text) stored contiguously: value `i` is
/// `bytes[offsets[i] ..< offsets[i + 1]]`. `offsets.count == count + 1`.
public struct ByteArrayBuffer: Sendable, Hashable {
    public var offsets: [Int]
    public var bytes: [UInt8]

    public init() {
        offsets = [0]
        bytes = []
    }

    public init(offsets: [Int], bytes: [UInt8]) {
        self.offsets = offsets
        self.bytes = bytes
    }

    public init<S: Sequence>(strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func reserve(values: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(values + 1)
        bytes.reserveCapacity(byteCount)
    }

    public mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        offsets.append(bytes.count)
    }

    public mutating func append<C: Collection>(bytes value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// Appends an empty value (the slot of a null).
    public mutating func appendEmpty() {
        offsets.append(bytes.count)
    }

    public func slice(_ i: Int) -> ArraySlice<UInt8> {
        bytes[offsets[i] ..< offsets[i + 1]]
    }

    public func string(_ i: Int) -> String {
        String(decoding: bytes[offsets[i] ..< offsets[i + 1]], as: UTF8.self)
    }

    /// Values `range` as a new buffer.
    public func subrange(_ range: Range<Int>) -> ByteArrayBuffer {
        let start = offsets[range.lowerBound]
        let end = offsets[range.upperBound]
        return ByteArrayBuffer(
            offsets: offsets[range.lowerBound ... range.upperBound].map { $0 - start },
            bytes: Array(bytes[start ..< end]))
    }

    public mutating func append(contentsOf other: ByteArrayBuffer) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.dropFirst().map { $0 + base })
    }
}

/// The values of one column, in one contiguous buffer per kind. Null slots hold a zero or empty
/// value; which slots are null is kept by ``Column/validity``.
public enum ColumnData: Sendable, Hashable {
    case bool([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case decimal([Int128])
    case bytes(ByteArrayBuffer)
    /// Dictionary-encoded variable-length values: row `i` is `dictionary[indices[i]]`.
    /// Kept as read from Parquet so categorical columns need not materialise every string.
    case dictionary(indices: [Int32], dictionary: ByteArrayBuffer)

    public var count: Int {
        switch self {
        case .bool(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .decimal(let v): v.count
        case .bytes(let v): v.count
        case .dictionary(let idx, _): idx.count
        }
    }

    public var kind: StorageKind {
        switch self {
        case .bool: .bool
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .decimal: .decimal
        case .bytes, .dictionary: .bytes
        }
    }

    /// Empty storage of the kind `type` needs.
    public static func empty(for type: DataType) -> ColumnData {
        switch type.storage {
        case .bool: .bool([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .decimal: .decimal([])
        case .bytes: .bytes(ByteArrayBuffer())
        }
    }

    /// `count` zero/empty slots of the kind `type` needs (the storage of an all-null column).
    public static func zeros(for type: DataType, count: Int) -> ColumnData {
        switch type.storage {
        case .bool: .bool(Array(repeating: false, count: count))
        case .int32: .int32(Array(repeating: 0, count: count))
        case .int64: .int64(Array(repeating: 0, count: count))
        case .float: .float(Array(repeating: 0, count: count))
        case .double: .double(Array(repeating: 0, count: count))
        case .decimal: .decimal(Array(repeating: 0, count: count))
        case .bytes: .bytes(ByteArrayBuffer(offsets: Array(repeating: 0, count: count + 1), bytes: []))
        }
    }

    /// Variable-length values with any dictionary expanded.
    public var materializedBytes: ByteArrayBuffer? {
        switch self {
        case .bytes(let b): return b
        case .dictionary(let indices, let dict):
            var out = ByteArrayBuffer()
            out.reserve(values: indices.count, bytes: indices.count * 8)
            for i in indices { out.append(bytes: dict.slice(Int(i))) }
            return out
        default: return nil
        }
    }
}
