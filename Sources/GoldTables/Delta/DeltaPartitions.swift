import Foundation

/// Parsing and writing of Delta partition values (strings in `add.partitionValues`).
enum DeltaPartitions {
    struct ValueError: Error { var message: String }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        CivilTime.days(year: y0, month: m, day: d)
    }

    /// (year, month, day) of days since 1970-01-01.
    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let c = CivilTime.civil(days: z0)
        return (c.year, c.month, c.day)
    }

    private static func digits(_ b: [UInt8], _ i: inout Int, count: Int) -> Int64? {
        var v: Int64 = 0
        for _ in 0 ..< count {
            guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
            v = v * 10 + Int64(b[i] - 48)
            i += 1
        }
        return v
    }

    static func parseDate(_ s: String) -> Int32? {
        let b = Array(s.utf8)
        var i = 0
        var neg = false
        if i < b.count, b[i] == UInt8(ascii: "-") { neg = true; i += 1 }
        guard let y = digits(b, &i, count: 4), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let m = digits(b, &i, count: 2), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let d = digits(b, &i, count: 2), i == b.count, (1 ... 12).contains(m), (1 ... 31).contains(d) else { return nil }
        let days = daysFromCivil(neg ? -y : y, m, d)
        return Int32(exactly: days)
    }

    /// Microseconds since the epoch of `YYYY-MM-DD[ T]HH:MM:SS[.f…][Z|±HH:MM]` (no zone = UTC /
    /// naive wall time).
    static func parseTimestampMicros(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        var i = 0
        guard let y = digits(b, &i, count: 4), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let mo = digits(b, &i, count: 2), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let d = digits(b, &i, count: 2), (1 ... 12).contains(mo), (1 ... 31).contains(d) else { return nil }
        var secs = daysFromCivil(y, mo, d) * 86_400
        var micros: Int64 = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T") else { return nil }
            i += 1
            guard let h = digits(b, &i, count: 2), i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let mi = digits(b, &i, count: 2) else { return nil }
            var sec: Int64 = 0
            if i < b.count, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let sv = digits(b, &i, count: 2) else { return nil }
                sec = sv
            }
            guard h < 24, mi < 60, sec < 61 else { return nil }
            secs += h * 3600 + mi * 60 + sec
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var n = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if n < 6 { micros = micros * 10 + Int64(b[i] - 48) }
                    n += 1
                    i += 1
                }
                guard n > 0 else { return nil }
                if n < 6 { for _ in n ..< 6 { micros *= 10 } }
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
                    i += 1
                    guard let oh = digits(b, &i, count: 2) else { return nil }
                    var om: Int64 = 0
                    if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
                    if i < b.count { guard let v = digits(b, &i, count: 2) else { return nil }; om = v }
                    secs -= sign * (oh * 3600 + om * 60)
                }
            }
            guard i == b.count else { return nil }
        }
        return secs * 1_000_000 + micros
    }

    /// Unscaled value of decimal text at `scale` (`"1.50"`, `"-3"`, `"1E+1"` not accepted).
    static func parseDecimal(_ s: String, scale: Int) -> Int128? {
        var b = Array(s.utf8)[...]
        var neg = false
        if let f = b.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { neg = f == UInt8(ascii: "-"); b = b.dropFirst() }
        var v: Int128 = 0
        var frac = -1
        var any = false
        for c in b {
            if c == UInt8(ascii: ".") {
                guard frac < 0 else { return nil }
                frac = 0
                continue
            }
            guard c >= 48, c <= 57 else { return nil }
            any = true
            if frac >= 0 {
                if frac >= scale {
                    guard c == 48 else { return nil }
                    continue
                }
                frac += 1
            }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int128(c - 48))
            guard !o1, !o2 else { return nil }
            v = a
        }
        guard any else { return nil }
        for _ in max(frac, 0) ..< scale {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            v = m
        }
        return neg ? -v : v
    }

    /// A column of `count` copies of the partition value `text` (nil or "" = NULL) typed as `field`.
    static func constantColumn(_ field: Field, text: String?, count: Int) throws -> Column {
        guard let s = text, !s.isEmpty, field.metadata["delta.type"] != "void" else { return Column.nulls(field, count: count) }
        func bad() -> ValueError { ValueError(message: "partition value '\(s)' of column '\(field.name)' is not a valid \(field.type.description)") }
        let data: ColumnData
        switch field.type {
        case .bool:
            switch s.lowercased() {
            case "true": data = .bool(Array(repeating: true, count: count))
            case "false": data = .bool(Array(repeating: false, count: count))
            default: throw bad()
            }
        case .int8, .int16, .int32:
            guard let v = Int32(s) else { throw bad() }
            if case .int8 = field.type, Int8(exactly: v) == nil { throw bad() }
            if case .int16 = field.type, Int16(exactly: v) == nil { throw bad() }
            data = .int32(Array(repeating: v, count: count))
        case .int64:
            guard let v = Int64(s) else { throw bad() }
            data = .int64(Array(repeating: v, count: count))
        case .float32:
            guard let v = Float(s) else { throw bad() }
            data = .float(Array(repeating: v, count: count))
        case .float64:
            guard let v = Double(s) else { throw bad() }
            data = .double(Array(repeating: v, count: count))
        case .date:
            guard let v = parseDate(s) else { throw bad() }
            data = .int32(Array(repeating: v, count: count))
        case .timestamp(let unit, _):
            guard let us = parseTimestampMicros(s) else { throw bad() }
            let v: Int64
            switch unit {
            case .microseconds: v = us
            case .milliseconds: v = us >= 0 ? us / 1000 : (us - 999) / 1000
            case .nanoseconds:
                let (m, o) = us.multipliedReportingOverflow(by: 1000)
                guard !o else { throw bad() }
                v = m
            }
            data = .int64(Array(repeating: v, count: count))
        case .decimal(_, let scale):
            guard let v = parseDecimal(s, scale: scale) else { throw bad() }
            data = .decimal(Array(repeating: v, count: count))
        case .string, .binary, .json:
            var buf = ByteArrayBuffer()
            let u = Array(s.utf8)
            buf.reserve(values: count, bytes: u.count * count)
            for _ in 0 ..< count { buf.append(bytes: u) }
            data = .bytes(buf)
        }
        return Column(field, data: data)
    }

    // MARK: writing

    /// The log text of a partition cell (nil = NULL).
    static func text(_ v: Value, type: DataType) -> String? {
        switch v {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return f.description
        case .double(let d): return d.description
        case .string(let s): return s.isEmpty ? nil : s
        case .binary(let b): return String(decoding: b, as: UTF8.self)
        case .json(let s): return s
        case .date(let d):
            let (y, m, dd) = civilFromDays(Int64(d))
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(dd, 2))"
        case .timestamp(let ticks, let unit, _):
            let us: Int64
            switch unit {
            case .microseconds: us = ticks
            case .milliseconds: us = ticks &* 1000
            case .nanoseconds: us = ticks >= 0 ? ticks / 1000 : (ticks - 999) / 1000
            }
            var secs = us / 1_000_000
            var frac = us % 1_000_000
            if frac < 0 { frac += 1_000_000; secs -= 1 }
            var days = secs / 86_400
            var sod = secs % 86_400
            if sod < 0 { sod += 86_400; days -= 1 }
            let (y, m, d) = civilFromDays(days)
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(sod / 3600, 2)):\(pad(sod / 60 % 60, 2)):\(pad(sod % 60, 2)).\(pad(frac, 6))"
        case .decimal(let u, let scale):
            return decimalText(u, scale: scale)
        }
    }

    static func pad(_ v: Int64, _ w: Int) -> String {
        let s = String(abs(v))
        let p = s.count < w ? String(repeating: "0", count: w - s.count) + s : s
        return v < 0 ? "-" + p : p
    }

    static func decimalText(_ u: Int128, scale: Int) -> String {
        let neg = u < 0
        var digits = String(u.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return neg ? "-" + digits : digits
    }

    /// Hive directory escaping of a partition value (as Spark/delta-rs do).
    static func hiveEscape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            let needs: Bool
            switch u {
            case "\"", "#", "%", "'", "*", "/", ":", "=", "?", "\\", "\u{7F}", "{", "[", "]", "^", " ": needs = true
            default: needs = u.value < 0x20
            }
            if needs {
                out += String(format: "%%%02X", u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Percent-encodes a relative path for `add.path` (RFC 3986 unreserved and `/` kept).
    static func uriEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "="):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
