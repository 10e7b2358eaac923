/// The unit of a timestamp column's Int64 values (since 1970-01-01T00:00:00).
public enum TimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case milliseconds = "ms"
    case microseconds = "us"
    case nanoseconds = "ns"

    /// Ticks of this unit per second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}

/// The logical type of a column in a Gold table.
///
/// Every type has one storage in ``ColumnData``:
/// - `bool` → `.bool`
/// - `int8`, `int16`, `int32`, `date` (days since 1970-01-01) → `.int32`
/// - `int64`, `timestamp` (ticks of `unit` since the epoch) → `.int64`
/// - `float32` → `.float`, `float64` → `.double`
/// - `decimal` → `.decimal` (unscaled values; value = unscaled × 10^-scale)
/// - `string`, `binary`, `json` → `.bytes` or `.dictionary`
///
/// `json` is a nested column (struct, list, map) surfaced as one JSON text per row; `nestedType` says
/// what it was (`list<struct<val:int32>>`). It is readable, but refused where a flat value is needed
/// (a feature), with an error naming the column.
public enum DataType: Sendable, Hashable, Codable {
    case bool
    case int8
    case int16
    case int32
    case int64
    case float32
    case float64
    case string
    case binary
    case date
    case timestamp(unit: TimeUnit, utc: Bool)
    case decimal(precision: Int, scale: Int)
    case json(nestedType: String)

    /// True for the integer and floating point types (not decimal).
    public var isNumeric: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .float32, .float64: true
        default: false
        }
    }

    /// A short, stable spelling: `int64`, `timestamp[us, UTC]`, `decimal(12,2)`, `json<list<int32>>`.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        case .string: "string"
        case .binary: "binary"
        case .date: "date"
        case .timestamp(let unit, let utc): utc ? "timestamp[\(unit.rawValue), UTC]" : "timestamp[\(unit.rawValue)]"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .json(let nested): "json<\(nested)>"
        }
    }

    /// The storage kind that holds this type's values.
    public var storage: StorageKind {
        switch self {
        case .bool: .bool
        case .int8, .int16, .int32, .date: .int32
        case .int64, .timestamp: .int64
        case .float32: .float
        case .float64: .double
        case .decimal: .decimal
        case .string, .binary, .json: .bytes
        }
    }
}

/// The physical buffer kinds of ``ColumnData``.
public enum StorageKind: Sendable, Hashable {
    case bool, int32, int64, float, double, decimal, bytes
}

extension DataType: CustomStringConvertible {}

/// A named, typed column of a ``Schema``.
public struct Field: Sendable, Hashable, Codable {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    /// Free-form metadata carried from the source (Delta field metadata, Parquet field id, …).
    public var metadata: [String: String]

    public init(_ name: String, _ type: DataType, nullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }
}

/// The ordered fields of a ``Table``. Names are unique (case-insensitively, as Delta requires).
public struct Schema: Sendable, Hashable, Codable {
    public var fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    public var names: [String] { fields.map(\.name) }

    /// The index of the field named `name` (exact match first, then case-insensitive).
    public func index(of name: String) -> Int? {
        if let i = fields.firstIndex(where: { $0.name == name }) { return i }
        let lower = name.lowercased()
        return fields.firstIndex(where: { $0.name.lowercased() == lower })
    }

    public subscript(name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }

    /// A stable SHA-256-free fingerprint of names, types and nullability (FNV-1a 64, hex), used for
    /// dataset lineage. Equal schemas give equal hashes on every platform.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in fields {
            for b in "\(f.name)|\(f.type.description)|\(f.nullable);".utf8 {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
