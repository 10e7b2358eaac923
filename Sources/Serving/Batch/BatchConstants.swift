import Foundation
import GoldTables

/// The values every output row of a job shares (`model_name`, `model_version`, `scored_at`),
/// built per batch as dictionary-encoded / repeated columns.
struct BatchConstants: Sendable {
    var name: String
    var version: String
    /// `scored_at` in microseconds since the epoch (UTC).
    var scoredAtMicros: Int64

    init(name: String, version: String, scoredAt: Date) {
        self.name = name
        self.version = version
        scoredAtMicros = Int64((scoredAt.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The three trailing columns for `rows` rows.
    func columns(rows: Int) -> [Column] {
        let zeros = [Int32](repeating: 0, count: rows)
        return [
            Column(BatchPlan.trailer[0], data: .dictionary(indices: zeros, dictionary: ByteArrayBuffer(strings: [name]))),
            Column(BatchPlan.trailer[1], data: .dictionary(indices: zeros, dictionary: ByteArrayBuffer(strings: [version]))),
            Column(BatchPlan.trailer[2], data: .int64([Int64](repeating: scoredAtMicros, count: rows))),
        ]
    }

    /// `2026-11-22T01:02:03.456789Z`.
    static func iso8601(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let secs = micros >= 0 ? micros / 1_000_000 : -((-micros + 999_999) / 1_000_000)
        let frac = micros - secs * 1_000_000
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: Double(secs))) + String(format: ".%06dZ", Int(frac))
    }
}
