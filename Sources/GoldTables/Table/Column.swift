/// A typed column: a ``Field``, its values and which of them are null.
///
/// ```swift
/// let c = Column(Field("tenure", .int32), data: .int32([3, 0, 12]), validity: [true, false, true])
/// c.value(at: 1) // .null
/// ```
public struct Column: Sendable, Hashable {
    public var field: Field
    public var data: ColumnData
    /// `validity[i] == false` means row `i` is null; `nil` means no row is null.
    public var validity: [Bool]?

    public init(_ field: Field, data: ColumnData, validity: [Bool]? = nil) {
        self.field = field
        self.data = data
        self.validity = validity
    }

    /// A column of `count` nulls (a column missing from an older file, a void column).
    public static func nulls(_ field: Field, count: Int) -> Column {
        Column(field, data: .zeros(for: field.type, count: count), validity: Array(repeating: false, count: count))
    }

    public var name: String { field.name }
    public var type: DataType { field.type }
    public var count: Int { data.count }

    public var nullCount: Int {
        guard let v = validity else { return 0 }
        var n = 0
        for b in v where !b { n += 1 }
        return n
    }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let v = validity else { return false }
        return !v[row]
    }

    /// The cell at `row` (0-based; `row` must be < `count`).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch data {
        case .bool(let v): return .bool(v[row])
        case .int32(let v):
            if case .date = field.type { return .date(v[row]) }
            return .int(Int64(v[row]))
        case .int64(let v):
            if case .timestamp(let unit, let utc) = field.type { return .timestamp(v[row], unit, utc: utc) }
            return .int(v[row])
        case .float(let v): return .float(v[row])
        case .double(let v): return .double(v[row])
        case .decimal(let v):
            if case .decimal(_, let scale) = field.type { return .decimal(unscaled: v[row], scale: scale) }
            return .decimal(unscaled: v[row], scale: 0)
        case .bytes(let b):
            return bytesValue(b.slice(row))
        case .dictionary(let idx, let dict):
            return bytesValue(dict.slice(Int(idx[row])))
        }
    }

    private func bytesValue(_ s: ArraySlice<UInt8>) -> Value {
        switch field.type {
        case .binary: .binary(Array(s))
        case .json: .json(String(decoding: s, as: UTF8.self))
        default: .string(String(decoding: s, as: UTF8.self))
        }
    }

    /// Rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        let d: ColumnData
        switch data {
        case .bool(let v): d = .bool(Array(v[range]))
        case .int32(let v): d = .int32(Array(v[range]))
        case .int64(let v): d = .int64(Array(v[range]))
        case .float(let v): d = .float(Array(v[range]))
        case .double(let v): d = .double(Array(v[range]))
        case .decimal(let v): d = .decimal(Array(v[range]))
        case .bytes(let b): d = .bytes(b.subrange(range))
        case .dictionary(let idx, let dict): d = .dictionary(indices: Array(idx[range]), dictionary: dict)
        }
        return Column(field, data: d, validity: validity.map { Array($0[range]) })
    }

    /// Rows `rows` (in the given order, repeats allowed; each < `count`) as a new column.
    /// O(rows.count), unlike a full-length mask.
    public func gather(_ rows: [Int]) -> Column {
        func pick<T>(_ v: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(rows.count)
            for r in rows { out.append(v[r]) }
            return out
        }
        let d: ColumnData
        switch data {
        case .bool(let v): d = .bool(pick(v))
        case .int32(let v): d = .int32(pick(v))
        case .int64(let v): d = .int64(pick(v))
        case .float(let v): d = .float(pick(v))
        case .double(let v): d = .double(pick(v))
        case .decimal(let v): d = .decimal(pick(v))
        case .bytes(let b):
            var out = ByteArrayBuffer()
            out.reserve(values: rows.count, bytes: b.bytes.count / max(1, b.count) * rows.count)
            for r in rows { out.append(bytes: b.slice(r)) }
            d = .bytes(out)
        case .dictionary(let idx, let dict): d = .dictionary(indices: pick(idx), dictionary: dict)
        }
        return Column(field, data: d, validity: validity.map(pick))
    }

    /// Keeps only the rows where `keep[i]` is true (deletion vectors, filters).
    public func filter(_ keep: [Bool]) -> Column {
        func pick<T>(_ v: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(v.count)
            for i in 0 ..< v.count where keep[i] { out.append(v[i]) }
            return out
        }
        let d: ColumnData
        switch data {
        case .bool(let v): d = .bool(pick(v))
        case .int32(let v): d = .int32(pick(v))
        case .int64(let v): d = .int64(pick(v))
        case .float(let v): d = .float(pick(v))
        case .double(let v): d = .double(pick(v))
        case .decimal(let v): d = .decimal(pick(v))
        case .bytes(let b):
            var out = ByteArrayBuffer()
            for i in 0 ..< b.count where keep[i] { out.append(bytes: b.slice(i)) }
            d = .bytes(out)
        case .dictionary(let idx, let dict): d = .dictionary(indices: pick(idx), dictionary: dict)
        }
        return Column(field, data: d, validity: validity.map(pick))
    }
}
