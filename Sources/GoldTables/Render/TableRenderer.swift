/// The text formats ``TableRenderer`` writes.
public enum RenderFormat: String, Sendable, CaseIterable {
    /// One JSON object per row (`{"col":value,...}`), newline-terminated.
    case jsonl
    /// RFC 4180 CSV with a header row, `\n` line ends, minimal quoting.
    case csv
}

/// Renders tables as JSON lines or CSV, exactly as `mltrack gold cat` prints them.
///
/// Value spelling (both formats unless noted):
/// - bool `true`/`false`; integers in decimal.
/// - float32/float64: the shortest text that reads back to the same value of that width (`0.1`,
///   `1e-05`, `100.0`). JSON has no NaN or infinities, so these are written as the JSON *strings*
///   `"NaN"`, `"Infinity"`, `"-Infinity"`; CSV writes the same words unquoted.
/// - date `YYYY-MM-DD`; timestamp `YYYY-MM-DDTHH:MM:SS.ffffff` with exactly 6 fraction digits and a
///   trailing `Z` when the column is UTC (naive timestamps have no `Z`). Nanosecond values are
///   truncated toward the past (floor) to microseconds, so pre-1970 instants stay on the right second.
/// - decimal: the exact value as a string (`"-0.05"` in JSON, `-0.05` in CSV), from the Int128 unscaled
///   value and the scale (negative scales append zeros).
/// - binary: standard base64 with padding (a JSON string in JSON lines).
/// - json (nested) columns: the JSON text inlined as is in JSON lines; as a quoted field in CSV.
/// - null: `null` in JSON lines; an empty unquoted field in CSV. In CSV a string or binary value that
///   reads as null (empty, `NA`, `NaN`, `null`, `NULL`) is quoted (`""`, `"NA"`) so a reader can tell it
///   from null (``CSVSource`` does: a quoted field in a string column is never null).
///
/// ```swift
/// let r = TableRenderer(format: .jsonl)
/// print(r.render(table), terminator: "")
/// ```
public struct TableRenderer: Sendable {
    public var format: RenderFormat
    /// The CSV field separator (ignored for JSON lines).
    public var csvDelimiter: UInt8

    public init(format: RenderFormat, csvDelimiter: UInt8 = UInt8(ascii: ",")) {
        self.format = format
        self.csvDelimiter = csvDelimiter
    }

    /// The bytes written before the first batch: the CSV header line; nothing for JSON lines.
    public func header(_ schema: Schema) -> [UInt8] {
        guard format == .csv, !schema.fields.isEmpty else { return [] }
        var out: [UInt8] = []
        for (i, f) in schema.fields.enumerated() {
            if i > 0 { out.append(csvDelimiter) }
            appendCSVField(Array(f.name.utf8), forceQuote: f.name.isEmpty, to: &out)
        }
        out.append(0x0A)
        return out
    }

    /// Appends every row of `table` (no header) to `out`.
    public func append(_ table: Table, to out: inout [UInt8]) {
        switch format {
        case .jsonl: appendJSONLines(table, to: &out)
        case .csv: appendCSV(table, to: &out)
        }
    }

    /// The whole table as text: the header (CSV) followed by every row.
    public func render(_ table: Table) -> String {
        var out = header(table.schema)
        append(table, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: JSON lines

    private func appendJSONLines(_ table: Table, to out: inout [UInt8]) {
        if table.columns.isEmpty {
            for _ in 0 ..< table.rowCount { out.append(contentsOf: Array("{}\n".utf8)) }
            return
        }
        let keys: [[UInt8]] = table.columns.enumerated().map { i, c in
            var k: [UInt8] = i == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]
            TableRenderer.appendJSONString(Array(c.name.utf8)[...], to: &k)
            k.append(UInt8(ascii: ":"))
            return k
        }
        let cells = table.columns.map(TableRenderer.jsonCells)
        TableRenderer.assemble(cells, rows: table.rowCount, prefix: keys, terminator: [UInt8(ascii: "}"), 0x0A], to: &out)
    }

    static func appendJSONBytes(_ s: ArraySlice<UInt8>, type: DataType, to out: inout [UInt8]) {
        switch type {
        case .binary:
            out.append(UInt8(ascii: "\""))
            appendBase64(s, to: &out)
            out.append(UInt8(ascii: "\""))
        case .json:
            if s.isEmpty { out.append(contentsOf: nullWord) } else { out.append(contentsOf: s) }
        default:
            appendJSONString(s, to: &out)
        }
    }

    /// Appends `s` (UTF-8) as a JSON string literal, escaping `"`, `\` and control characters.
    static func appendJSONString(_ s: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0 ..< 0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: CSV

    private func appendCSV(_ table: Table, to out: inout [UInt8]) {
        if table.columns.isEmpty { return }
        let prefix: [[UInt8]] = table.columns.indices.map { $0 == 0 ? [] : [csvDelimiter] }
        let cells = table.columns.map(csvCells)
        TableRenderer.assemble(cells, rows: table.rowCount, prefix: prefix, terminator: [0x0A], to: &out)
    }

    /// Texts ``CSVSource`` reads as null by default when unquoted; string values spelled so are quoted.
    static func looksNull(_ s: [UInt8]) -> Bool {
        switch s.count {
        case 0: return true
        case 2: return s == [0x4E, 0x41]  // NA
        case 3: return s == [0x4E, 0x61, 0x4E]  // NaN
        case 4: return s == Array("null".utf8) || s == Array("NULL".utf8)
        default: return false
        }
    }

    private func appendCSVField(_ s: [UInt8], forceQuote: Bool, to out: inout [UInt8]) {
        var needs = forceQuote
        if !needs {
            for b in s where b == csvDelimiter || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needs = true
                break
            }
        }
        guard needs else {
            out.append(contentsOf: s)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in s {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Plain text of one cell

    /// The unquoted text of `column[row]` as CSV shows it (empty for null).
    static func appendText(_ col: Column, row: Int, to out: inout [UInt8]) {
        if col.isNull(row) { return }
        switch col.data {
        case .bool(let v): out.append(contentsOf: v[row] ? trueWord : falseWord)
        case .int32(let v):
            if case .date = col.type { appendDate(Int64(v[row]), to: &out) } else { appendInt(Int64(v[row]), to: &out) }
        case .int64(let v):
            if case .timestamp(let unit, let utc) = col.type {
                appendTimestamp(v[row], unit: unit, utc: utc, to: &out)
            } else {
                appendInt(v[row], to: &out)
            }
        case .float(let v): appendFloat(v[row], json: false, to: &out)
        case .double(let v): appendDouble(v[row], json: false, to: &out)
        case .decimal(let v): appendDecimal(v[row], scale: decimalScale(col.type), to: &out)
        case .bytes(let b):
            if case .binary = col.type { appendBase64(b.slice(row), to: &out) } else { out.append(contentsOf: b.slice(row)) }
        case .dictionary(let idx, let dict):
            let s = dict.slice(Int(idx[row]))
            if case .binary = col.type { appendBase64(s, to: &out) } else { out.append(contentsOf: s) }
        }
    }

    /// The display text of `column[row]`: CSV text, and `null` for a null cell.
    public static func text(_ col: Column, row: Int) -> String {
        if col.isNull(row) { return "null" }
        var out: [UInt8] = []
        appendText(col, row: row, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The display text of a single value (as ``text(_:row:)`` spells it).
    public static func text(_ value: Value) -> String {
        var out: [UInt8] = []
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): appendFloat(f, json: false, to: &out)
        case .double(let d): appendDouble(d, json: false, to: &out)
        case .string(let s): return s
        case .binary(let b): appendBase64(b[...], to: &out)
        case .date(let d): appendDate(Int64(d), to: &out)
        case .timestamp(let t, let unit, let utc): appendTimestamp(t, unit: unit, utc: utc, to: &out)
        case .decimal(let u, let s): appendDecimal(u, scale: s, to: &out)
        case .json(let j): return j
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Scalars

    private static let nullWord: [UInt8] = Array("null".utf8)
    private static let trueWord: [UInt8] = Array("true".utf8)
    private static let falseWord: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func decimalScale(_ t: DataType) -> Int {
        if case .decimal(_, let s) = t { return s }
        return 0
    }

    static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        var mag = v.magnitude
        if v < 0 { out.append(UInt8(ascii: "-")) }
        if mag == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
        withUnsafeMutableBytes(of: &buf) { raw in
            var i = 24
            while mag > 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: mag % 10) &+ 0x30
                mag /= 10
            }
            out.append(contentsOf: raw[i ..< 24])
        }
    }

    /// Appends `v` zero-padded to at least `width` digits (v ≥ 0).
    private static func appendPadded(_ v: Int64, width: Int, to out: inout [UInt8]) {
        var digits = 1
        var x = v / 10
        while x > 0 { digits += 1; x /= 10 }
        if digits < width { for _ in digits ..< width { out.append(UInt8(ascii: "0")) } }
        appendInt(v, to: &out)
    }

    private static func appendYear(_ y: Int64, to out: inout [UInt8]) {
        if y < 0 {
            out.append(UInt8(ascii: "-"))
            appendPadded(-y, width: 4, to: &out)
        } else {
            appendPadded(y, width: 4, to: &out)
        }
    }

    static func appendDate(_ days: Int64, to out: inout [UInt8]) {
        let c = CivilTime.civil(days: days)
        appendYear(c.year, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(c.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(c.day, width: 2, to: &out)
    }

    static func appendTimestamp(_ ticks: Int64, unit: TimeUnit, utc: Bool, to out: inout [UInt8]) {
        let (secs, frac) = CivilTime.floorDivMod(ticks, unit.perSecond)
        let micros: Int64
        switch unit {
        case .milliseconds: micros = frac * 1000
        case .microseconds: micros = frac
        case .nanoseconds: micros = frac / 1000
        }
        let (days, sod) = CivilTime.floorDivMod(secs, 86_400)
        appendDate(days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(sod / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(sod / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(sod % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(micros, width: 6, to: &out)
        if utc { out.append(UInt8(ascii: "Z")) }
    }

    static func appendDecimal(_ unscaled: Int128, scale: Int, to out: inout [UInt8]) {
        let digits = Array(String(unscaled.magnitude).utf8)
        if unscaled < 0 { out.append(UInt8(ascii: "-")) }
        if scale <= 0 {
            out.append(contentsOf: digits)
            if unscaled != 0 { for _ in 0 ..< -scale { out.append(UInt8(ascii: "0")) } }
            return
        }
        if digits.count <= scale {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0 ..< (scale - digits.count) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: digits)
        } else {
            let cut = digits.count - scale
            out.append(contentsOf: digits[0 ..< cut])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[cut...])
        }
    }

    private static func appendNonFinite(isNaN: Bool, negative: Bool, json: Bool, to out: inout [UInt8]) {
        if json { out.append(UInt8(ascii: "\"")) }
        if isNaN {
            out.append(contentsOf: Array("NaN".utf8))
        } else {
            out.append(contentsOf: Array((negative ? "-Infinity" : "Infinity").utf8))
        }
        if json { out.append(UInt8(ascii: "\"")) }
    }

    static func appendDouble(_ v: Double, json: Bool, to out: inout [UInt8]) {
        if !v.isFinite {
            appendNonFinite(isNaN: v.isNaN, negative: v < 0, json: json, to: &out)
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    static func appendFloat(_ v: Float, json: Bool, to out: inout [UInt8]) {
        if !v.isFinite {
            appendNonFinite(isNaN: v.isNaN, negative: v < 0, json: json, to: &out)
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    static func appendBase64(_ s: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let a = base64Alphabet
        var i = s.startIndex
        let end = s.endIndex
        while end - i >= 3 {
            let n = UInt32(s[i]) << 16 | UInt32(s[i + 1]) << 8 | UInt32(s[i + 2])
            out.append(a[Int(n >> 18 & 63)])
            out.append(a[Int(n >> 12 & 63)])
            out.append(a[Int(n >> 6 & 63)])
            out.append(a[Int(n & 63)])
            i += 3
        }
        let rest = end - i
        if rest == 1 {
            let n = UInt32(s[i]) << 16
            out.append(a[Int(n >> 18 & 63)])
            out.append(a[Int(n >> 12 & 63)])
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(s[i]) << 16 | UInt32(s[i + 1]) << 8
            out.append(a[Int(n >> 18 & 63)])
            out.append(a[Int(n >> 12 & 63)])
            out.append(a[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
    }
}
