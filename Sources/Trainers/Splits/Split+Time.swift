import Foundation
import Features
import GoldTables

extension Split {
    /// Rows of `table` strictly before `cutoff` in `column` (a date or timestamp column) train; rows
    /// at or after it test; null rows are in neither (counted in ``RowSplit/excluded``). A date
    /// is its midnight UTC; a timestamp is compared as written (UTC or naive alike).
    ///
    /// `cutoff` is `YYYY-MM-DD` or an ISO-8601 timestamp (see ``TimeText``).
    public static func byTime(_ table: Table, column: String, cutoff: String) throws -> RowSplit {
        guard let instant = TimeText.instant(cutoff) else {
            throw SplitError(field: "cutoff", "'\(cutoff)' is not a date (YYYY-MM-DD) or an ISO-8601 timestamp")
        }
        return try byTime(table, column: column, cutoff: instant)
    }

    /// As the `String` cut-off overload, with a `Date` (to the nearest nanosecond).
    public static func byTime(_ table: Table, column: String, cutoff: Date) throws -> RowSplit {
        let t = cutoff.timeIntervalSince1970
        guard t.isFinite, abs(t) < 9e15 else { throw SplitError(field: "cutoff", "out of range") }
        let seconds = t.rounded(.down)
        let nanos = min(999_999_999, Int64(((t - seconds) * 1e9).rounded()))
        return try byTime(table, column: column, cutoff: TimeText.Instant(seconds: Int64(seconds), nanos: nanos))
    }

    static func byTime(_ table: Table, column name: String, cutoff: TimeText.Instant) throws -> RowSplit {
        guard let c = table.column(named: name) else {
            throw SplitError(field: name, "no such column (columns: \(table.schema.names.joined(separator: ", ")))")
        }
        var train: [Int] = [], test: [Int] = []
        var excluded = 0
        func place(_ r: Int, _ before: Bool) {
            if c.isNull(r) {
                excluded += 1
            } else if before {
                train.append(r)
            } else {
                test.append(r)
            }
        }
        switch (c.type, c.data) {
        case (.date, .int32(let days)):
            for r in 0 ..< days.count { place(r, TimeText.Instant(seconds: Int64(days[r]) * 86_400, nanos: 0) < cutoff) }
        case (.timestamp(let unit, _), .int64(let ticks)):
            let per = unit.perSecond, nanosPerTick = 1_000_000_000 / unit.perSecond
            for r in 0 ..< ticks.count {
                let (s, rest) = CivilTime.floorDivMod(ticks[r], per)
                place(r, TimeText.Instant(seconds: s, nanos: rest * nanosPerTick) < cutoff)
            }
        default:
            throw SplitError(field: name, "a time split needs a date or timestamp column, not \(c.type.description)")
        }
        return RowSplit(train: train, test: test, excluded: excluded)
    }
}
