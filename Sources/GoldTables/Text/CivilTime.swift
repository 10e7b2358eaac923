/// Proleptic Gregorian calendar arithmetic (days since 1970-01-01 ⇄ year/month/day), after
/// Howard Hinnant's `days_from_civil` / `civil_from_days`. Valid for any Int64 day count the
/// callers produce; no Foundation calendar involved (fast, locale-free, no time zones).
/// Package-visible: Features' date parsing (`TimeText`) and date features use the same arithmetic.
///
/// ```swift
/// CivilTime.days(year: 2025, month: 1, day: 1)     // 20089
/// CivilTime.floorDivMod(-1, 86_400)                // (-1, 86399)
/// ```
package enum CivilTime {
    /// Days since 1970-01-01 of `year-month-day` (month 1...12, day 1...31; not range-checked here).
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `(year, month, day)` of `days` since 1970-01-01.
    package static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    package static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    package static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division and non-negative remainder.
    @inline(__always)
    package static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
