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
