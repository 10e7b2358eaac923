/// How ``CSVSource`` reads a delimited text file.
///
/// ```swift
/// var o = CSVOptions()
/// o.schema = Schema([Field("zip", .string)])   // force one column, infer the others
/// let src = try CSVSource(path: "customers.csv", options: o)
/// ```
public struct CSVOptions: Sendable, Hashable {
    /// The field separator; nil picks `\t` for `.tsv`/`.tab` files and `,` otherwise.
    public var delimiter: UInt8?
    /// Whether the first record holds the column names (otherwise columns are `column_1`, `column_2`, …).
    public var header: Bool
    /// Unquoted field texts read as null. In float columns a null text that is itself a float spelling
    /// (`NaN`) is kept as that float (NaN), not null. A quoted field in a string column is never null,
    /// so `""` is the empty string while an empty unquoted field is null.
    public var nullStrings: [String]
    /// Types forced for the named columns (matched case-insensitively); unnamed columns are inferred.
    public var schema: Schema?
    /// Rows per batch when streaming.
    public var batchRows: Int

    public init(delimiter: UInt8? = nil, header: Bool = true,
                nullStrings: [String] = ["", "NA", "null", "NULL", "NaN"],
                schema: Schema? = nil, batchRows: Int = 65_536) {
        self.delimiter = delimiter
        self.header = header
        self.nullStrings = nullStrings
        self.schema = schema
        self.batchRows = batchRows
    }
}

/// A CSV file that cannot be read as asked. The message names the file, the 1-based line where the
/// record starts and, for a value, the column.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        case io, header, raggedRow, unterminatedQuote, badQuote, badValue, unknownColumn, badOption
    }

    public var kind: Kind
    public var path: String
    /// 1-based physical line of the record (nil when not about a record).
    public var line: Int?
    /// Column name, when the error is about one value.
    public var column: String?
    public var message: String

    public init(_ kind: Kind, path: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        s += ": "
        if let column { s += "column '\(column)': " }
        return s + message
    }
}

extension CSVOptions {
    /// Parses a type name as ``DataType/description`` spells it, plus a few aliases: `bool`,
    /// `int8`…`int64` (`int` = int64), `float32`, `float64` (`float`, `double`), `string` (`str`),
    /// `binary` (base64 in the file), `date`, `timestamp` / `timestamp[us]` (naive),
    /// `timestamp[ms, UTC]` / `timestamptz` (UTC), `decimal(p,s)`. Case and spaces do not matter.
    public static func parseType(_ text: String) -> DataType? {
        let t = text.lowercased().filter { !$0.isWhitespace }
        switch t {
        case "bool", "boolean": return .bool
        case "int8": return .int8
        case "int16": return .int16
        case "int32": return .int32
        case "int64", "int", "long": return .int64
        case "float32": return .float32
        case "float64", "float", "double": return .float64
        case "string", "str", "utf8": return .string
        case "binary": return .binary
        case "date": return .date
        case "timestamp": return .timestamp(unit: .microseconds, utc: false)
        case "timestamptz": return .timestamp(unit: .microseconds, utc: true)
        default: break
        }
        if t.hasPrefix("timestamp["), t.hasSuffix("]") {
            let inner = t.dropFirst("timestamp[".count).dropLast().split(separator: ",").map(String.init)
            guard let first = inner.first, let unit = TimeUnit(rawValue: first), inner.count <= 2 else { return nil }
            if inner.count == 2 && inner[1] != "utc" { return nil }
            return .timestamp(unit: unit, utc: inner.count == 2)
        }
        if t.hasPrefix("decimal("), t.hasSuffix(")") {
            let inner = t.dropFirst("decimal(".count).dropLast().split(separator: ",")
            guard inner.count == 2, let p = Int(inner[0]), let s = Int(inner[1]), p >= 1, p <= 38, s >= 0, s <= p else {
                return nil
            }
            return .decimal(precision: p, scale: s)
        }
        return nil
    }

    /// Parses `name=type` overrides (``parseType(_:)`` spellings) into a partial schema.
    public static func parseOverrides(_ items: [String]) throws -> Schema {
        var fields: [Field] = []
        for item in items {
            guard let eq = item.lastIndex(of: "="), eq != item.startIndex else {
                throw TableError("type override '\(item)' is not name=type")
            }
            let name = String(item[..<eq])
            let typeText = String(item[item.index(after: eq)...])
            guard let type = parseType(typeText) else {
                throw TableError("type override '\(item)': unknown type '\(typeText)' (e.g. string, int64, float64, bool, date, timestamp[us, UTC], decimal(12,2))")
            }
            fields.append(Field(name, type))
        }
        return Schema(fields)
    }
}
