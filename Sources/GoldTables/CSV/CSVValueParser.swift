#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level parsers for CSV field texts (no String allocation on the hot paths).
enum CSVParse {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// ASCII lower-case equality of `p` with `word` (already lower-case).
    static func equalsIgnoringCase(_ p: Bytes, _ word: StaticString) -> Bool {
        guard p.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0 ..< p.count {
            var b = p[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != w[i] { return false }
        }
        return true
    }

    static func parseBool(_ p: Bytes) -> Bool? {
        if equalsIgnoringCase(p, "true") { return true }
        if equalsIgnoringCase(p, "false") { return false }
        return nil
    }

    /// `[+-]?[0-9]+` fitting Int64.
    static func parseInt(_ p: Bytes) -> Int64? {
        var i = 0
        let n = p.count
        guard n > 0 else { return nil }
        var neg = false
        if p[0] == UInt8(ascii: "-") { neg = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n else { return nil }
        var mag: UInt64 = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            let (m1, o1) = mag.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            mag = m2
            i += 1
        }
        if neg {
            guard mag <= UInt64(Int64.max) + 1 else { return nil }
            return mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag)
        }
        guard mag <= UInt64(Int64.max) else { return nil }
        return Int64(mag)
    }

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    #if arch(x86_64)
    /// 10^0 … 10^27, each exact in Float80 (5^27 < 2^64).
    private static let float80Powers: [Float80] = {
        var out: [Float80] = [1]
        for _ in 1 ... 27 { out.append((out.last ?? 1) * 10) }
        return out
    }()
    #endif

    /// True when `p` is a decimal float spelling: `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?` or
    /// `[+-]?(inf|infinity|nan)` (any case). Hex floats are not accepted.
    static func isFloatSyntax(_ p: Bytes) -> Bool {
        var i = 0
        let n = p.count
        guard n > 0 else { return false }
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") { i = 1 }
        let rest = Bytes(rebasing: p[i...])
        if equalsIgnoringCase(rest, "inf") || equalsIgnoringCase(rest, "infinity") || equalsIgnoringCase(rest, "nan") {
            return true
        }
        var digits = 0
        while i < n, isDigit(p[i]) { i += 1; digits += 1 }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(p[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < n, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { i += 1 }
            var ed = 0
            while i < n, isDigit(p[i]) { i += 1; ed += 1 }
            guard ed > 0 else { return false }
        }
        return i == n
    }

    /// Parses a float spelling (see ``isFloatSyntax``), correctly rounded. Fast paths:
    /// - ≤ 15 significant digits and a power of ten within ±22: one exact IEEE operation (Clinger);
    /// - on x86-64, ≤ 19 digits and a power of ten within ±27: one Float80 operation (64-bit
    ///   significand, so mantissa and power are exact), then rounded to Double, unless the result
    ///   lies within one Float80 ulp of a Double halfway point (double rounding could then differ).
    /// Everything else (and every malformed text's check) goes to `strtod`.
    static func parseDouble(_ p: Bytes, scratch: inout [CChar]) -> Double? {
        let n = p.count
        guard n > 0 else { return nil }
        var i = 0
        var neg = false
        if p[0] == UInt8(ascii: "-") { neg = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var mant: UInt64 = 0
        var sig = 0  // significant digits taken into `mant`
        var digits = 0  // all mantissa digits seen
        var exp10 = 0
        var fast = true
        while i < n, isDigit(p[i]) {
            digits += 1
            if mant == 0 && p[i] == 0x30 { i += 1; continue }
            if sig < 19 { mant = mant * 10 + UInt64(p[i] - 0x30); sig += 1 } else { fast = false }
            i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(p[i]) {
                digits += 1
                if mant == 0 && p[i] == 0x30 { exp10 -= 1; i += 1; continue }
                if sig < 19 { mant = mant * 10 + UInt64(p[i] - 0x30); sig += 1; exp10 -= 1 } else { fast = false }
                i += 1
            }
        }
        if digits == 0 { fast = false }
        if fast, i < n, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            var eneg = false
            if i < n, p[i] == UInt8(ascii: "-") { eneg = true; i += 1 } else if i < n, p[i] == UInt8(ascii: "+") { i += 1 }
            var e = 0
            var ed = 0
            while i < n, isDigit(p[i]) {
                if e < 10_000 { e = e * 10 + Int(p[i] - 0x30) }
                ed += 1
                i += 1
            }
            if ed == 0 { fast = false }
            exp10 += eneg ? -e : e
        }
        if fast && i == n {
            if mant == 0 { return neg ? -0.0 : 0.0 }
            if sig <= 15 && exp10 >= -22 && exp10 <= 22 {
                var v = Double(mant)
                if exp10 >= 0 { v *= exactPowers[exp10] } else { v /= exactPowers[-exp10] }
                return neg ? -v : v
            }
            #if arch(x86_64)
            if exp10 >= -27 && exp10 <= 27 {
                let pow10 = float80Powers[abs(exp10)]
                let r = exp10 >= 0 ? Float80(mant) * pow10 : Float80(mant) / pow10
                let low = r.significandBitPattern & 0x7FF
                if low < 0x3FF || low > 0x401 {
                    let v = Double(r)
                    return neg ? -v : v
                }
            }
            #endif
        }
        guard isFloatSyntax(p) else { return nil }
        fillScratch(p, &scratch)
        return scratch.withUnsafeBufferPointer { b -> Double? in
            guard let base = b.baseAddress else { return nil }
            return strtod(base, nil)
        }
    }

    static func parseFloat32(_ p: Bytes, scratch: inout [CChar]) -> Float? {
        guard isFloatSyntax(p) else { return nil }
        fillScratch(p, &scratch)
        return scratch.withUnsafeBufferPointer { b -> Float? in
            guard let base = b.baseAddress else { return nil }
            return strtof(base, nil)
        }
    }

    private static func fillScratch(_ p: Bytes, _ scratch: inout [CChar]) {
        scratch.removeAll(keepingCapacity: true)
        for b in p { scratch.append(CChar(bitPattern: b)) }
        scratch.append(0)
    }

    @inline(__always) private static func twoDigits(_ p: Bytes, _ i: Int) -> Int64? {
        guard i + 1 < p.count else { return nil }
        let a = p[i] &- 0x30, b = p[i + 1] &- 0x30
        guard a < 10, b < 10 else { return nil }
        return Int64(a) * 10 + Int64(b)
    }

    /// `YYYY-MM-DD` at the start of `p` → days since 1970-01-01.
    private static func datePrefix(_ p: Bytes) -> Int64? {
        guard p.count >= 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
              let y1 = twoDigits(p, 0), let y2 = twoDigits(p, 2),
              let m = twoDigits(p, 5), let d = twoDigits(p, 8) else { return nil }
        let y = y1 * 100 + y2
        guard m >= 1, m <= 12, d >= 1, d <= CivilTime.daysInMonth(year: y, month: m) else { return nil }
        return CivilTime.days(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD` → days since the epoch.
    static func parseDate(_ p: Bytes) -> Int32? {
        guard p.count == 10, let d = datePrefix(p) else { return nil }
        return Int32(d)
    }

    /// A parsed ISO-8601 timestamp: `seconds` since the epoch (already shifted to UTC when the text
    /// had an offset), `nanos` 0..<1e9, and whether the text carried `Z` or an offset.
    struct Stamp {
        var seconds: Int64
        var nanos: Int64
        var zoned: Bool
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]][Z|±HH[:MM]|±HHMM]`. A bare date is not accepted here.
    static func parseTimestamp(_ p: Bytes) -> Stamp? {
        guard p.count >= 16, let days = datePrefix(p),
              p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " ") || p[10] == UInt8(ascii: "t"),
              let hh = twoDigits(p, 11), p[13] == UInt8(ascii: ":"), let mm = twoDigits(p, 14),
              hh < 24, mm < 60 else { return nil }
        var i = 16
        var ss: Int64 = 0
        var nanos: Int64 = 0
        let n = p.count
        if i < n, p[i] == UInt8(ascii: ":") {
            guard let s = twoDigits(p, i + 1), s < 60 else { return nil }
            ss = s
            i += 3
            if i < n, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",") {
                i += 1
                var digits = 0
                while i < n, isDigit(p[i]) {
                    if digits < 9 { nanos = nanos * 10 + Int64(p[i] - 0x30) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                if digits < 9 { for _ in digits ..< 9 { nanos *= 10 } }
            }
        }
        var seconds = days * 86_400 + hh * 3600 + mm * 60 + ss
        var zoned = false
        if i < n {
            if (p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z")) && i + 1 == n {
                zoned = true
                i += 1
            } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                let sign: Int64 = p[i] == UInt8(ascii: "-") ? -1 : 1
                guard let oh = twoDigits(p, i + 1), oh <= 23 else { return nil }
                i += 3
                var om: Int64 = 0
                if i < n {
                    if p[i] == UInt8(ascii: ":") { i += 1 }
                    guard let m = twoDigits(p, i), m < 60 else { return nil }
                    om = m
                    i += 2
                }
                guard i == n else { return nil }
                seconds -= sign * (oh * 3600 + om * 60)
                zoned = true
            } else {
                return nil
            }
        }
        return Stamp(seconds: seconds, nanos: nanos, zoned: zoned)
    }

    /// Ticks of `unit` for a stamp (nil on overflow).
    static func ticks(_ s: Stamp, unit: TimeUnit) -> Int64? {
        let (a, o1) = s.seconds.multipliedReportingOverflow(by: unit.perSecond)
        let frac: Int64
        switch unit {
        case .milliseconds: frac = s.nanos / 1_000_000
        case .microseconds: frac = s.nanos / 1000
        case .nanoseconds: frac = s.nanos
        }
        let (b, o2) = a.addingReportingOverflow(frac)
        return o1 || o2 ? nil : b
    }

    enum DecimalFailure: Error {
        case syntax, tooManyFractionDigits, precision
    }

    /// `[+-]?d*(.d*)?` with at least one digit → unscaled value at `scale`, within `precision` digits.
    static func parseDecimal(_ p: Bytes, precision: Int, scale: Int) -> Result<Int128, DecimalFailure> {
        var i = 0
        let n = p.count
        guard n > 0 else { return .failure(.syntax) }
        var neg = false
        if p[0] == UInt8(ascii: "-") { neg = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var v: Int128 = 0
        var digits = 0
        var sigDigits = 0
        var frac = 0
        var seenPoint = false
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                guard !seenPoint else { return .failure(.syntax) }
                seenPoint = true
            } else if isDigit(b) {
                digits += 1
                if seenPoint {
                    frac += 1
                    if frac > scale {
                        // Extra fraction digits are allowed only when they are zeros.
                        guard b == 0x30 else { return .failure(.tooManyFractionDigits) }
                        i += 1
                        continue
                    }
                }
                if v != 0 || b != 0x30 { sigDigits += 1 }
                guard sigDigits <= 38 else { return .failure(.precision) }
                v = v * 10 + Int128(b - 0x30)
            } else {
                return .failure(.syntax)
            }
            i += 1
        }
        guard digits > 0 else { return .failure(.syntax) }
        var pad = scale - min(frac, scale)
        while pad > 0 {
            if v != 0 { sigDigits += 1 }
            guard sigDigits <= 38 else { return .failure(.precision) }
            v *= 10
            pad -= 1
        }
        guard sigDigits <= precision else { return .failure(.precision) }
        return .success(neg ? -v : v)
    }

    private static let base64Table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            t[Int(c)] = UInt8(i)
        }
        return t
    }()

    /// Standard base64 (padding optional) → bytes appended to `out`; false when malformed.
    static func decodeBase64(_ p: Bytes, into out: inout ByteArrayBuffer) -> Bool {
        var end = p.count
        while end > 0, p[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard p.count - end <= 2, end % 4 != 1 else { return false }
        var acc: UInt32 = 0
        var bits = 0
        for i in 0 ..< end {
            let v = base64Table[Int(p[i])]
            guard v != 0xFF else { return false }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.bytes.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        out.offsets.append(out.bytes.count)
        return true
    }
}
