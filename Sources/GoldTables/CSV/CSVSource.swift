import Foundation

/// A CSV (or TSV) file read as a table: RFC 4180 quoting, a header row, null texts, column types
/// inferred over every row, and a partial ``CSVOptions/schema`` override. Streams in batches of
/// ``CSVOptions/batchRows`` rows; the file is memory-mapped, not loaded.
///
/// Inference (per column, over all non-null values): `bool` (`true`/`false`, any case) → `int64`
/// (`[+-]digits`) → `float64` (decimal spellings, `inf`, `nan`) → `date` (`YYYY-MM-DD`) →
/// `timestamp[us, UTC]` (ISO-8601 with `Z` or an offset; converted to UTC) or `timestamp[us]`
/// (naive) → otherwise `string`. Bare dates mixed with timestamps read as midnight (UTC in a zoned
/// column). A column with no value is
/// `string`. Ints mixed with floats give `float64`; zoned mixed with naive timestamps give `string`.
///
/// ```swift
/// let src = try CSVSource(path: "churn.csv")
/// let stream = try src.scan(columns: ["customer_id", "churned"])
/// while let batch = try stream.next() { … }
/// ```
public final class CSVSource: TableSource, Sendable {
    public let path: String
    public let options: CSVOptions
    public let schema: Schema
    /// The field separator in use.
    public let delimiter: UInt8
    /// Number of data rows, known when types were inferred (every row was read); otherwise nil
    /// (see ``countRows()``).
    public let knownRowCount: Int?

    let data: Data
    let dataStart: Int
    let dataStartLine: Int
    let nullTexts: [[UInt8]]

    public init(path: String, options: CSVOptions = CSVOptions()) throws {
        self.path = path
        self.options = options
        let lower = path.lowercased()
        delimiter = options.delimiter
            ?? (lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        guard delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D else {
            throw CSVError(.badOption, path: path, "the delimiter cannot be a quote or a line break")
        }
        guard options.batchRows > 0 else {
            throw CSVError(.badOption, path: path, "batchRows must be positive (got \(options.batchRows))")
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw CSVError(.io, path: path, "cannot read the file: \(error.localizedDescription)")
        }
        let nullTexts = options.nullStrings.map { Array($0.utf8) }
        self.nullTexts = nullTexts
        let delimiter = delimiter
        let data = data
        let setup = try data.withUnsafeBytes { buf throws -> (Schema, Int, Int, Int?) in
            var start = 0
            if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { start = 3 }
            var tok = CSVTokenizer(path: path, delimiter: delimiter, pos: start)
            var fields: [CSVFieldRef] = []
            // Column names.
            var names: [String] = []
            var headerLine = 1
            if options.header {
                if let l = try tok.next(buf, into: &fields) {
                    headerLine = l
                    names = fields.map { String(decoding: CSVTokenizer.text(buf, $0), as: UTF8.self) }
                }
            } else {
                var peek = tok
                if try peek.next(buf, into: &fields) != nil {
                    names = (1 ... fields.count).map { "column_\($0)" }
                }
            }
            for i in names.indices where names[i].isEmpty { names[i] = "column_\(i + 1)" }
            var seen: [String: Int] = [:]
            for (i, n) in names.enumerated() {
                if let j = seen[n.lowercased()] {
                    throw CSVError(.header, path: path, line: headerLine,
                                   "duplicate column name '\(n)' (columns \(j + 1) and \(i + 1))")
                }
                seen[n.lowercased()] = i
            }
            // Forced types.
            var forced = [DataType?](repeating: nil, count: names.count)
            if let override = options.schema {
                for f in override.fields {
                    let i = names.firstIndex(of: f.name) ?? names.firstIndex { $0.lowercased() == f.name.lowercased() }
                    guard let i else {
                        throw CSVError(.unknownColumn, path: path,
                                       "the schema override names column '\(f.name)', which the file does not have (columns: \(names.joined(separator: ", ")))")
                    }
                    forced[i] = f.type
                }
            }
            let bodyStart = tok.pos
            let bodyLine = tok.line
            var rows: Int? = nil
            var inferred = [DataType](repeating: .string, count: names.count)
            if forced.contains(where: { $0 == nil }) {
                var states = [CSVInference](repeating: CSVInference(), count: names.count)
                var count = 0
                var scratch: [UInt8] = []
                while let line = try tok.next(buf, into: &fields) {
                    guard fields.count == names.count else {
                        throw CSVSource.ragged(path, line, fields.count, names.count, header: options.header)
                    }
                    count += 1
                    for c in 0 ..< names.count where forced[c] == nil && states[c].mask != 0 {
                        let f = fields[c]
                        CSVSource.withText(buf, f, &scratch) { p in
                            if CSVSource.isNullText(p, nullTexts: nullTexts) { return }
                            states[c].observe(p)
                        }
                    }
                }
                rows = count
                inferred = states.map(\.type)
            }
            let fieldsOut = names.indices.map { Field(names[$0], forced[$0] ?? inferred[$0]) }
            return (Schema(fieldsOut), bodyStart, bodyLine, rows)
        }
        schema = setup.0
        dataStart = setup.1
        dataStartLine = setup.2
        knownRowCount = setup.3
    }

    static func ragged(_ path: String, _ line: Int, _ got: Int, _ want: Int, header: Bool) -> CSVError {
        CSVError(.raggedRow, path: path, line: line,
                 "row has \(got) field\(got == 1 ? "" : "s"), expected \(want) (\(header ? "the header's" : "the first row's") column count)")
    }

    /// The number of data rows (reads the file once unless already known).
    public func countRows() throws -> Int {
        if let knownRowCount { return knownRowCount }
        let stream = try CSVBatchStream(source: self, projection: [])
        var n = 0
        while true {
            let k = try stream.fill()
            if k == 0 { return n }
            n += k
        }
    }

    public func scan(columns: [String]?) throws -> any BatchStream {
        var projection: [Int] = []
        if let columns {
            for name in columns {
                guard let i = schema.index(of: name) else {
                    throw CSVError(.unknownColumn, path: path,
                                   "no column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
                }
                projection.append(i)
            }
        } else {
            projection = Array(schema.fields.indices)
        }
        return try CSVBatchStream(source: self, projection: projection)
    }

    // MARK: Field helpers

    /// Calls `body` with the field's unescaped bytes.
    @inline(__always)
    static func withText<R>(_ buf: UnsafeRawBufferPointer, _ f: CSVFieldRef, _ scratch: inout [UInt8],
                            _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if f.escaped {
            CSVTokenizer.unescape(buf, f, into: &scratch)
            return try scratch.withUnsafeBufferPointer { try body($0) }
        }
        let p = UnsafeBufferPointer(rebasing: buf.bindMemoryIfNeeded()[f.start ..< f.end])
        return try body(p)
    }

    @inline(__always)
    static func isNullText(_ p: UnsafeBufferPointer<UInt8>, nullTexts: [[UInt8]]) -> Bool {
        for t in nullTexts where t.count == p.count {
            if t.isEmpty { return true }
            var eq = true
            for i in 0 ..< t.count where t[i] != p[i] {
                eq = false
                break
            }
            if eq { return true }
        }
        return false
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as `UInt8` (a CSV file is bytes; no other binding exists).
    @inline(__always)
    func bindMemoryIfNeeded() -> UnsafeBufferPointer<UInt8> {
        assumingMemoryBound(to: UInt8.self)
    }
}

/// Type inference state of one CSV column.
struct CSVInference {
    static let bool: UInt8 = 1, int: UInt8 = 2, float: UInt8 = 4, date: UInt8 = 8, tsNaive: UInt8 = 16, tsUTC: UInt8 = 32

    var mask: UInt8 = 63
    var seen = false

    mutating func observe(_ p: UnsafeBufferPointer<UInt8>) {
        seen = true
        var m: UInt8 = 0
        if mask & Self.bool != 0, CSVParse.parseBool(p) != nil { m |= Self.bool }
        if mask & (Self.int | Self.float) != 0 {
            if CSVParse.parseInt(p) != nil {
                m |= Self.int | Self.float
            } else if CSVParse.isFloatSyntax(p) {
                m |= Self.float
            }
        }
        if mask & (Self.date | Self.tsNaive | Self.tsUTC) != 0 {
            if p.count == 10, CSVParse.parseDate(p) != nil {
                m |= Self.date | Self.tsNaive | Self.tsUTC
            } else if let s = CSVParse.parseTimestamp(p) {
                m |= s.zoned ? Self.tsUTC : Self.tsNaive
            }
        }
        mask &= m
    }

    var type: DataType {
        guard seen else { return .string }
        if mask & Self.bool != 0 { return .bool }
        if mask & Self.int != 0 { return .int64 }
        if mask & Self.float != 0 { return .float64 }
        if mask & Self.date != 0 { return .date }
        if mask & Self.tsNaive != 0 { return .timestamp(unit: .microseconds, utc: false) }
        if mask & Self.tsUTC != 0 { return .timestamp(unit: .microseconds, utc: true) }
        return .string
    }
}
