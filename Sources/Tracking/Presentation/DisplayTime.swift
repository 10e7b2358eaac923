import Foundation

/// Times for people: milliseconds since the epoch as local ISO-8601 with the UTC offset
/// (`2026-11-21T23:05:00.123+01:00`; milliseconds only when not zero), and durations as `1h02m03s`.
///
/// ```swift
/// DisplayTime.iso(1_700_000_000_000, timeZone: TimeZone(identifier: "UTC")!)   // "2023-11-14T22:13:20Z"
/// DisplayTime.duration(from: 0, to: 3_723_000)                                  // "1h02m03s"
/// ```
public enum DisplayTime {
    /// `ms` as ISO-8601 in `timeZone` (default: the local one); `""` for nil.
    public static func iso(_ ms: Int64?, timeZone: TimeZone = .current) -> String {
        guard let ms else { return "" }
        let f = ISO8601DateFormatter()
        f.timeZone = timeZone
        f.formatOptions = ms % 1000 == 0 ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// The time between two instants (ms) as `45.2s`, `3m07s` or `1h02m03s`; `""` when `end` is nil.
    public static func duration(from start: Int64, to end: Int64?) -> String {
        guard let end else { return "" }
        let ms = max(0, end - start)
        if ms < 60_000 { return String(format: "%.1fs", Double(ms) / 1000) }
        let s = ms / 1000
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        return h > 0 ? String(format: "%dh%02dm%02ds", h, m, sec) : String(format: "%dm%02ds", m, sec)
    }
}
