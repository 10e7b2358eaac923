/// An error about a table's shape or columns (not about a file's bytes; those are
/// ``ParquetError``, ``DeltaError`` and ``CSVError``).
public struct TableError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A columnar, in-memory table: a ``Schema`` and one ``Column`` per field, all of `rowCount` rows.
///
/// ```swift
/// let t = try Table([
///     Column(Field("id", .int64, nullable: false), data: .int64([1, 2])),
///     Column(Field("name", .string), data: .bytes(ByteArrayBuffer(strings: ["a", ""])), validity: [true, false]),
/// ])
/// t.column(named: "name")?.value(at: 1) // .null
/// ```
public struct Table: Sendable, Hashable {
    public private(set) var columns: [Column]
    public private(set) var rowCount: Int

    /// Builds a table; every column must have the same number of rows and a unique name.
    public init(_ columns: [Column]) throws {
        let n = columns.first?.count ?? 0
        var seen = Set<String>()
        for c in columns {
            guard c.count == n else {
                throw TableError("column '\(c.name)' has \(c.count) rows, expected \(n)")
            }
            if let v = c.validity, v.count != n {
                throw TableError("column '\(c.name)' has \(v.count) validity entries, expected \(n)")
            }
            guard seen.insert(c.name.lowercased()).inserted else {
                throw TableError("duplicate column name '\(c.name)'")
            }
        }
        self.columns = columns
        self.rowCount = n
    }

    /// A table with no rows.
    public init(empty schema: Schema) {
        columns = schema.fields.map { Column($0, data: .empty(for: $0.type)) }
        rowCount = 0
    }

    public var schema: Schema { Schema(columns.map(\.field)) }

    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    /// The named columns in the given order; throws naming the first unknown one.
    public func project(_ names: [String]) throws -> Table {
        let s = schema
        var out: [Column] = []
        for n in names {
            guard let i = s.index(of: n) else {
                throw TableError("no column '\(n)' (columns: \(s.names.joined(separator: ", ")))")
            }
            out.append(columns[i])
        }
        return try Table(out)
    }

    /// Row `row` as cells in column order.
    public func row(_ row: Int) -> [Value] {
        columns.map { $0.value(at: row) }
    }

    public func slice(_ range: Range<Int>) -> Table {
        var t = self
        t.columns = columns.map { $0.slice(range) }
        t.rowCount = range.count
        return t
    }

    public func filter(_ keep: [Bool]) -> Table {
        var t = self
        t.columns = columns.map { $0.filter(keep) }
        t.rowCount = t.columns.first?.count ?? keep.lazy.filter { $0 }.count
        return t
    }

    /// Appends a column of `rowCount` rows.
    public mutating func append(_ column: Column) throws {
        guard columns.isEmpty || column.count == rowCount else {
            throw TableError("column '\(column.name)' has \(column.count) rows, expected \(rowCount)")
        }
        guard schema.index(of: column.name) == nil else {
            throw TableError("duplicate column name '\(column.name)'")
        }
        if columns.isEmpty { rowCount = column.count }
        columns.append(column)
    }

    /// Concatenates tables of the same schema (names and types), in order.
    public static func concatenate(_ tables: [Table], schema: Schema) throws -> Table {
        var out: [Column] = []
        for (ci, field) in schema.fields.enumerated() {
            var parts: [Column] = []
            for t in tables {
                guard ci < t.columns.count, t.columns[ci].type == field.type else {
                    throw TableError("cannot concatenate: column \(ci) ('\(field.name)') differs between batches")
                }
                parts.append(t.columns[ci])
            }
            out.append(try Column.concatenate(parts, field: field))
        }
        if schema.fields.isEmpty { return try Table([]) }
        return try Table(out)
    }
}

extension Column {
    /// Concatenates columns holding `field`'s type. Dictionary parts are expanded unless all share
    /// one dictionary.
    public static func concatenate(_ parts: [Column], field: Field) throws -> Column {
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: [Bool]? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v: [Bool] = []
            v.reserveCapacity(total)
            for p in parts { v.append(contentsOf: p.validity ?? Array(repeating: true, count: p.count)) }
            validity = v
        }
        func gather<T>(_ extract: (ColumnData) -> [T]?) throws -> [T] {
            var out: [T] = []
            out.reserveCapacity(total)
            for p in parts {
                guard let v = extract(p.data) else {
                    throw TableError("cannot concatenate column '\(field.name)': storage differs between batches")
                }
                out.append(contentsOf: v)
            }
            return out
        }
        let data: ColumnData
        switch field.type.storage {
        case .bool: data = .bool(try gather { if case .bool(let v) = $0 { v } else { nil } })
        case .int32: data = .int32(try gather { if case .int32(let v) = $0 { v } else { nil } })
        case .int64: data = .int64(try gather { if case .int64(let v) = $0 { v } else { nil } })
        case .float: data = .float(try gather { if case .float(let v) = $0 { v } else { nil } })
        case .double: data = .double(try gather { if case .double(let v) = $0 { v } else { nil } })
        case .decimal: data = .decimal(try gather { if case .decimal(let v) = $0 { v } else { nil } })
        case .bytes:
            if let first = parts.first, case .dictionary(_, let d0) = first.data,
               parts.allSatisfy({ if case .dictionary(_, let d) = $0.data { d == d0 } else { false } }) {
                data = .dictionary(indices: try gather { if case .dictionary(let i, _) = $0 { i } else { nil } }, dictionary: d0)
            } else {
                var out = ByteArrayBuffer()
                for p in parts {
                    guard let b = p.data.materializedBytes else {
                        throw TableError("cannot concatenate column '\(field.name)': storage differs between batches")
                    }
                    out.append(contentsOf: b)
                }
                data = .bytes(out)
            }
        }
        return Column(field, data: data, validity: validity)
    }
}

/// A stream of record batches sharing one schema: a Parquet file yields one per row group, a Delta
/// snapshot one (or more) per data file. Lets a table larger than memory be scanned.
public protocol BatchStream: AnyObject {
    var schema: Schema { get }
    /// The next batch, or nil at the end.
    func next() throws -> Table?
}

extension BatchStream {
    /// Reads every remaining batch into one table.
    public func readAll() throws -> Table {
        var parts: [Table] = []
        while let t = try next() { parts.append(t) }
        if parts.count == 1, let only = parts.first { return only }
        if parts.isEmpty { return Table(empty: schema) }
        return try Table.concatenate(parts, schema: schema)
    }
}

/// A readable table in any format (a Parquet file or folder, a Delta snapshot, a CSV file).
public protocol TableSource: Sendable {
    var schema: Schema { get }
    /// Streams the table; `columns` (when given) projects and orders the output, and only those
    /// columns are decoded.
    func scan(columns: [String]?) throws -> any BatchStream
}

extension TableSource {
    public func read(columns: [String]? = nil) throws -> Table {
        try scan(columns: columns).readAll()
    }
}
