import GoldTables

/// The kinds of input column a feature can read, by logical type. A column keeps its kind between
/// fit and transform; a timestamp may change unit (its ticks are converted to the fitted unit).
enum InputKind: Equatable {
    case numeric, integer, string, bool, date
    case timestamp(TimeUnit)

    init?(_ type: DataType) {
        switch type {
        case .int8, .int16, .int32, .int64: self = .integer
        case .float32, .float64, .decimal: self = .numeric
        case .string: self = .string
        case .bool: self = .bool
        case .date: self = .date
        case .timestamp(let unit, _): self = .timestamp(unit)
        case .binary, .json: return nil
        }
    }

    var isNumeric: Bool { self == .numeric || self == .integer }
}

/// Reading typed cells of table columns the way the features need them. The same scalar
/// conversions serve the table path and the one-row (JSON) path, so both give identical bits.
enum ColumnValues {
    static let unsupported = "is not a supported feature type (binary and nested/json columns cannot be features)"

    /// The column `name` of `table`, or an error naming it and the table's columns.
    static func find(_ name: String, in table: Table) throws -> Column {
        guard let c = table.column(named: name) else {
            throw FeatureError(column: name, "no such column in the table (columns: \(table.schema.names.joined(separator: ", ")))")
        }
        return c
    }

    /// Checks that `column` has the kind `fitted` was fitted on.
    static func check(_ column: Column, fittedType: DataType, name: String) throws {
        guard let now = InputKind(column.type) else {
            throw FeatureError(column: name, "type \(column.type.description) \(unsupported)")
        }
        let then = InputKind(fittedType)
        switch (now, then) {
        case (.timestamp, .timestamp?): return
        case (.numeric, .numeric?), (.integer, .integer?), (.integer, .numeric?), (.numeric, .integer?):
            // Any numeric column serves a numeric feature; categorical integers are checked by the caller.
            return
        default:
            guard now == then else {
                throw FeatureError(column: name, "was \(fittedType.description) at fit but is \(column.type.description) now")
            }
        }
    }

    // MARK: Numbers

    /// Exact powers of ten as Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The Double nearest to unscaled × 10^-scale (correctly rounded, as parsing its decimal text).
    static func decimal(_ unscaled: Int128, scale: Int) -> Double {
        if unscaled.magnitude <= (1 << 53) {
            // Both operands exact, so the IEEE quotient/product is the correctly rounded value.
            if scale >= 0, scale <= 22 { return Double(unscaled) / powersOfTen[scale] }
            if scale < 0, scale >= -22 { return Double(unscaled) * powersOfTen[-scale] }
        }
        return Double("\(unscaled)e\(-scale)") ?? .nan
    }

    /// Decimal text (`-12.50`, `3e-2`) as a Double, or nil when it is not a plain decimal number.
    static func decimalText(_ s: String) -> Double? {
        let b = Array(s.utf8)
        var p = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if p < b.count, b[p] == UInt8(ascii: "-") || b[p] == UInt8(ascii: "+") { p += 1 }
        var mantissa = 0
        while p < b.count, isDigit(b[p]) { p += 1; mantissa += 1 }
        if p < b.count, b[p] == UInt8(ascii: ".") {
            p += 1
            while p < b.count, isDigit(b[p]) { p += 1; mantissa += 1 }
        }
        guard mantissa > 0 else { return nil }
        if p < b.count, b[p] == UInt8(ascii: "e") || b[p] == UInt8(ascii: "E") {
            p += 1
            if p < b.count, b[p] == UInt8(ascii: "-") || b[p] == UInt8(ascii: "+") { p += 1 }
            var exponent = 0
            while p < b.count, isDigit(b[p]) { p += 1; exponent += 1 }
            guard exponent > 0 else { return nil }
        }
        guard p == b.count else { return nil }
        return Double(s)
    }

    /// A numeric column as Doubles, NaN for null (a NaN value also counts as null). Throws on ±∞.
    static func doubles(_ column: Column, name: String) throws -> [Double] {
        let n = column.count
        var out = [Double](repeating: 0, count: n)
        switch column.data {
        case .int32(let v): for i in 0 ..< n { out[i] = Double(v[i]) }
        case .int64(let v): for i in 0 ..< n { out[i] = Double(v[i]) }
        case .float(let v): for i in 0 ..< n { out[i] = Double(v[i]) }
        case .double(let v): out = v
        case .decimal(let v):
            let scale: Int
            if case .decimal(_, let s) = column.type { scale = s } else { scale = 0 }
            for i in 0 ..< n { out[i] = decimal(v[i], scale: scale) }
        default:
            throw FeatureError(column: name, "a numeric feature needs a numeric column, not \(column.type.description)")
        }
        if let valid = column.validity {
            for i in 0 ..< n where !valid[i] { out[i] = .nan }
        }
        for i in 0 ..< n where out[i].isInfinite {
            throw FeatureError(column: name, "row \(i): infinite value")
        }
        return out
    }

    /// One JSON value for a numeric column of `type`, NaN for null.
    static func double(_ value: FeatureValue, type: DataType, name: String) throws -> Double {
        let x: Double
        switch value {
        case .null: return .nan
        case .number(let d):
            if case .float32 = type { x = Double(Float(d)) } else { x = d }
        case .string(let s):
            guard case .decimal = type, let d = decimalText(s) else {
                throw FeatureError(column: name, "expected a number for \(type.description), got the string \"\(s)\"")
            }
            x = d
        case .bool(let b):
            throw FeatureError(column: name, "expected a number for \(type.description), got \(b)")
        }
        guard x.isFinite else { throw FeatureError(column: name, "infinite value") }
        return x
    }

    // MARK: Integers (categorical)

    /// An integer column as Int64 values (nulls hold 0; see validity).
    static func integers(_ column: Column, name: String) throws -> [Int64] {
        switch column.data {
        case .int32(let v) where InputKind(column.type) == .integer: return v.map(Int64.init)
        case .int64(let v) where InputKind(column.type) == .integer: return v
        default:
            throw FeatureError(column: name, "expected an integer column, not \(column.type.description)")
        }
    }

    /// A JSON number for an integer column: must be integral and in range.
    static func integer(_ d: Double, name: String) throws -> Int64 {
        guard d.rounded(.towardZero) == d, let i = Int64(exactly: d) else {
            throw FeatureError(column: name, "expected an integer, got \(d)")
        }
        return i
    }

    // MARK: Dates and timestamps

    /// Ticks of a date (days) or timestamp column converted to the fitted unit (nulls hold 0).
    static func ticks(_ column: Column, fittedType: DataType, name: String) throws -> [Int64] {
        switch (column.data, column.type, fittedType) {
        case (.int32(let v), .date, .date):
            return v.map(Int64.init)
        case (.int64(let v), .timestamp(let unit, _), .timestamp(let target, _)):
            if unit == target { return v }
            var out = v
            if unit.perSecond > target.perSecond {
                let f = unit.perSecond / target.perSecond
                for i in out.indices { out[i] = floorDiv(v[i], f) }
            } else {
                let f = target.perSecond / unit.perSecond
                for i in out.indices {
                    let (p, o) = v[i].multipliedReportingOverflow(by: f)
                    if o, !column.isNull(i) { throw FeatureError(column: name, "row \(i): timestamp out of range in \(target.rawValue)") }
                    out[i] = o ? 0 : p
                }
            }
            return out
        default:
            throw FeatureError(column: name, "expected \(fittedType.description), not \(column.type.description)")
        }
    }

    /// A JSON value for a date (`YYYY-MM-DD`) or timestamp (ISO-8601) column, in ticks of the
    /// fitted unit; nil for null.
    static func ticks(_ value: FeatureValue, fittedType: DataType, name: String) throws -> Int64? {
        switch value {
        case .null: return nil
        case .string(let s):
            if case .timestamp(let unit, _) = fittedType {
                guard let instant = TimeText.instant(s) else {
                    throw FeatureError(column: name, "expected an ISO-8601 timestamp, got \"\(s)\"")
                }
                guard let t = TimeText.ticks(instant, perSecond: unit.perSecond) else {
                    throw FeatureError(column: name, "timestamp \"\(s)\" out of range")
                }
                return t
            }
            guard let d = TimeText.date(s) else { throw FeatureError(column: name, "expected a date YYYY-MM-DD, got \"\(s)\"") }
            return d
        case .number, .bool:
            throw FeatureError(column: name, "expected a \(fittedType.description) as a string, got \(value)")
        }
    }

    /// ⌊a / b⌋ for b > 0 (every caller divides by a positive tick count).
    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { CivilTime.floorDivMod(a, b).0 }
}
