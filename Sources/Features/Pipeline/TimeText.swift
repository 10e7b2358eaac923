import GoldTables

/// Parsing of the date and timestamp texts a spec, a JSON row or a split cut-off may hold:
/// `YYYY-MM-DD`, and ISO-8601 timestamps `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]` (a space
/// may replace `T`; no zone means the time as written, i.e. UTC for UTC columns; fraction digits
/// past nanoseconds are dropped).
///
/// ```swift
/// TimeText.date("2025-01-01")                          // 20089
/// TimeText.instant("2025-01-01T01:00:00+01:00")        // Instant(seconds: 1735689600, nanos: 0)
/// ```
public enum TimeText {
    /// An instant: whole seconds since the epoch and nanoseconds (0 ..< 1e9) past them.
    /// Instants compare in time order.
    public struct Instant: Hashable, Sendable, Comparable {
        public var seconds: Int64
        public var nanos: Int64
        public init(seconds: Int64, nanos: Int64) {
            self.seconds = seconds
            self.nanos = nanos
        }
        public static func < (a: Instant, b: Instant) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }
    }

    /// Days since the epoch of exactly `YYYY-MM-DD`, or nil.
    public static func date(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10 else { return nil }
        var p = 0
        return parseDate(b, &p)
    }

    /// The instant of a date or timestamp text, or nil.
    public static func instant(_ text: String) -> Instant? {
        let b = Array(text.utf8)
        var p = 0
        guard let d = parseDate(b, &p) else { return nil }
        var seconds = d * 86_400
        var nanos: Int64 = 0
        if p == b.count { return Instant(seconds: seconds, nanos: 0) }
        guard b[p] == UInt8(ascii: "T") || b[p] == UInt8(ascii: "t") || b[p] == UInt8(ascii: " ") else { return nil }
        p += 1
        guard let hh = digits(b, &p, 2), hh < 24, colon(b, &p), let mm = digits(b, &p, 2), mm < 60 else { return nil }
        var ss: Int64 = 0
        if p < b.count, b[p] == UInt8(ascii: ":") {
            p += 1
            guard let s = digits(b, &p, 2), s < 60 else { return nil }
            ss = s
            if p < b.count, b[p] == UInt8(ascii: ".") || b[p] == UInt8(ascii: ",") {
                p += 1
                var n = 0
                var frac: Int64 = 0
                while p < b.count, b[p] >= 0x30, b[p] <= 0x39 {
                    if n < 9 { frac = frac * 10 + Int64(b[p] - 0x30) }  // digits past ns are dropped (floor)
                    n += 1
                    p += 1
                }
                guard n > 0 else { return nil }
                for _ in min(n, 9) ..< 9 { frac *= 10 }
                nanos = frac
            }
        }
        seconds += hh * 3600 + mm * 60 + ss
        if p < b.count {
            if b[p] == UInt8(ascii: "Z") || b[p] == UInt8(ascii: "z") {
                p += 1
            } else if b[p] == UInt8(ascii: "+") || b[p] == UInt8(ascii: "-") {
                let sign: Int64 = b[p] == UInt8(ascii: "+") ? 1 : -1
                p += 1
                guard let oh = digits(b, &p, 2), oh < 24 else { return nil }
                var om: Int64 = 0
                if p < b.count {
                    _ = colon(b, &p)
                    guard let m = digits(b, &p, 2), m < 60 else { return nil }
                    om = m
                }
                seconds -= sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard p == b.count else { return nil }
        return Instant(seconds: seconds, nanos: nanos)
    }

    /// Ticks of `perSecond` per second (floor), or nil on overflow.
    static func ticks(_ i: Instant, perSecond: Int64) -> Int64? {
        let (whole, o1) = i.seconds.multipliedReportingOverflow(by: perSecond)
        let (sum, o2) = whole.addingReportingOverflow(i.nanos / (1_000_000_000 / perSecond))
        return o1 || o2 ? nil : sum
    }

    private static func parseDate(_ b: [UInt8], _ p: inout Int) -> Int64? {
        guard let y = digits(b, &p, 4), dash(b, &p), let m = digits(b, &p, 2), dash(b, &p),
              let d = digits(b, &p, 2), (1 ... 12).contains(m), d >= 1, d <= CivilTime.daysInMonth(year: y, month: m)
        else { return nil }
        return CivilTime.days(year: y, month: m, day: d)
    }

    private static func digits(_ b: [UInt8], _ p: inout Int, _ n: Int) -> Int64? {
        guard p + n <= b.count else { return nil }
        var v: Int64 = 0
        for k in p ..< p + n {
            guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
            v = v * 10 + Int64(b[k] - 0x30)
        }
        p += n
        return v
    }

    private static func dash(_ b: [UInt8], _ p: inout Int) -> Bool {
        guard p < b.count, b[p] == UInt8(ascii: "-") else { return false }
        p += 1
        return true
    }

    private static func colon(_ b: [UInt8], _ p: inout Int) -> Bool {
        guard p < b.count, b[p] == UInt8(ascii: ":") else { return false }
        p += 1
        return true
    }
}
