import Foundation
import GoldTables
import TestSupport
@testable import Features

/// A seeded table with nulls in every column kind the features read, its spec, and an
/// independent rendering of its rows as JSON (text and values) for the row-path parity tests.
enum ParityTables {
    static func spec() throws -> FeatureSpec {
        try FeatureSpec(yaml: """
                numeric:
                  - {column: i8, standardize: true}
                  - {column: i16, impute: median}
                  - {column: i32, impute: constant, value: 7, standardize: true}
                  - {column: i64, standardize: true}
                  - {column: f32, standardize: true}
                  - {column: f64, impute: median, standardize: true}
                  - {column: dec, standardize: true}
                boolean:
                  - {column: flag, impute: most_frequent}
                categorical:
                  - {column: sb, min_frequency: 5}
                  - {column: sd, nulls: unknown}
                  - {column: ci, min_frequency: 3}
                dates:
                  - {column: d, derive: [age_days, day_of_week], reference: 2025-01-01}
                  - {column: tus, derive: [age_days, day_of_week]}
                  - {column: tns, derive: [age_days], standardize: true}
                  - {column: tms, derive: [day_of_week, age_days], impute: median}
                drop: [label]
                """)
    }

    static func seeded(rows n: Int, seed: UInt64) throws -> Table {
        var g = SeededGenerator(seed: seed)
        func validity() -> [Bool] { (0 ..< n).map { _ in Double.random(in: 0 ..< 1, using: &g) >= 0.1 } }
        func ints(_ range: ClosedRange<Int64>) -> [Int64] { (0 ..< n).map { _ in Int64.random(in: range, using: &g) } }
        let words = ["a0", "a1", "a2", "a3", "a\"q", "é", "e\u{301}", "tab\there", "a0 ", ""]
        func word() -> String {
            let u = Double.random(in: 0 ..< 1, using: &g)
            return words[min(words.count - 1, Int(u * u * Double(words.count)))]
        }
        let sb = (0 ..< n).map { _ in word() }
        let dictionary = ByteArrayBuffer(strings: ["x", "y", "z", "w"])
        let sdIdx = (0 ..< n).map { _ in Int32.random(in: 0 ..< 4, using: &g) }
        let f64 = (0 ..< n).map { _ in g.normal() * pow(10, Double(Int.random(in: -5 ... 5, using: &g))) }
        let f32 = (0 ..< n).map { _ in Float(g.normal() * 1000) }
        return try Table([
            Column(Field("i8", .int8), data: .int32(ints(-128 ... 127).map { Int32($0) }), validity: validity()),
            Column(Field("i16", .int16), data: .int32(ints(-32768 ... 32767).map { Int32($0) }), validity: validity()),
            Column(Field("i32", .int32), data: .int32(ints(-2_000_000_000 ... 2_000_000_000).map { Int32($0) }), validity: validity()),
            Column(Field("i64", .int64), data: .int64(ints(-(1 << 60) ... (1 << 60))), validity: validity()),
            Column(Field("f32", .float32), data: .float(f32), validity: validity()),
            Column(Field("f64", .float64), data: .double(f64), validity: validity()),
            Column(Field("dec", .decimal(precision: 12, scale: 3)), data: .decimal(ints(-999_999_999 ... 999_999_999).map { Int128($0) }), validity: validity()),
            Column(Field("flag", .bool), data: .bool((0 ..< n).map { _ in Bool.random(using: &g) }), validity: validity()),
            Column(Field("sb", .string), data: .bytes(ByteArrayBuffer(strings: sb)), validity: validity()),
            Column(Field("sd", .string), data: .dictionary(indices: sdIdx, dictionary: dictionary), validity: validity()),
            Column(Field("ci", .int32), data: .int32(ints(0 ... 12).map { Int32($0 * $0) }), validity: validity()),
            Column(Field("d", .date), data: .int32(ints(-1000 ... 25000).map { Int32($0) }), validity: validity()),
            Column(Field("tus", .timestamp(unit: .microseconds, utc: true)), data: .int64(ints(1_577_836_800_000_000 ... 1_735_689_600_000_000)), validity: validity()),
            Column(Field("tns", .timestamp(unit: .nanoseconds, utc: true)), data: .int64(ints(1_577_836_800_000_000_000 ... 1_735_689_600_000_000_000)), validity: validity()),
            Column(Field("tms", .timestamp(unit: .milliseconds, utc: false)), data: .int64(ints(-1_000_000_000_000 ... 2_000_000_000_000)), validity: validity()),
            Column(Field("label", .bool), data: .bool((0 ..< n).map { _ in Bool.random(using: &g) })),
        ])
    }

    // MARK: Independent rendering

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Civil date of days since the epoch (Hinnant's civil_from_days).
    static func civil(_ days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04lld-%02lld-%02lld", y, m, d)
    }

    static func iso(_ ticks: Int64, _ unit: TimeUnit, utc: Bool) -> String {
        let seconds = floorDiv(ticks, unit.perSecond)
        let nanos = (ticks - seconds * unit.perSecond) * (1_000_000_000 / unit.perSecond)
        let day = floorDiv(seconds, 86_400)
        let s = seconds - day * 86_400
        return civil(day) + String(format: "T%02lld:%02lld:%02lld.%09lld", s / 3600, s / 60 % 60, s % 60, nanos) + (utc ? "Z" : "")
    }

    static func decimalText(_ u: Int128, scale: Int) -> String { "\(u)e\(-scale)" }

    /// Row `r` as FeatureValues (numbers as Doubles of the stored values).
    static func values(_ table: Table, row r: Int) -> [String: FeatureValue] {
        var out: [String: FeatureValue] = [:]
        for c in table.columns {
            let v: FeatureValue
            switch c.value(at: r) {
            case .null: if r % 2 == 0 { continue } else { v = .null }  // missing key or explicit null
            case .bool(let b): v = .bool(b)
            case .int(let i): v = .number(Double(i))
            case .float(let f): v = .number(Double(f))
            case .double(let d): v = .number(d)
            case .decimal(let u, let s): v = .string(decimalText(u, scale: s))
            case .date(let d): v = .string(civil(Int64(d)))
            case .timestamp(let t, let unit, let utc): v = .string(iso(t, unit, utc: utc))
            case .string(let s): v = .string(s)
            default: continue
            }
            out[c.name] = v
        }
        return out
    }

    /// Row `r` as JSON text, numbers spelled as a client would (the shortest text of a float32).
    static func json(_ table: Table, row r: Int) throws -> Data {
        var parts: [String] = []
        for c in table.columns {
            let text: String
            switch c.value(at: r) {
            case .null: text = "null"
            case .bool(let b): text = b ? "true" : "false"
            case .int(let i): text = "\(i)"
            case .float(let f): text = "\(f)"
            case .double(let d): text = "\(d)"
            case .decimal(let u, let s): text = r % 2 == 0 ? decimalText(u, scale: s) : "\"\(decimalText(u, scale: s))\""
            case .date(let d): text = "\"\(civil(Int64(d)))\""
            case .timestamp(let t, let unit, let utc): text = "\"\(iso(t, unit, utc: utc))\""
            case .string(let s): text = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
            default: continue
            }
            parts.append("\"\(c.name)\": \(text)")
        }
        return Data(("{" + parts.joined(separator: ", ") + "}").utf8)
    }
}
