import Features
import GoldTables

extension RowFilter {
    /// One Bool per row of `table`: true where every condition holds. Errors (field `source.filter`)
    /// name an unknown column, or a literal that does not fit the column's type.
    ///
    /// Comparison rules: integer columns against integral literals exactly, other numbers (float,
    /// double, decimal) as Double; strings byte-wise; booleans with `=`/`!=` only; dates and
    /// timestamps against a date or ISO-8601 text, as instants (a date is its midnight UTC). A null
    /// cell fails every comparison; NaN compares as IEEE says (only `!=` holds).
    public func mask(_ table: Table) throws -> [Bool] {
        var keep = [Bool](repeating: true, count: table.rowCount)
        for c in conditions {
            let name: String
            switch c {
            case .compare(let col, _, _): name = col
            case .isNull(let col, _): name = col
            }
            guard let column = table.column(named: name) else {
                throw ExperimentError(field: "source.filter",
                                      "no column '\(name)' (columns: \(table.schema.names.joined(separator: ", ")))")
            }
            let test = try Self.predicate(c, column)
            for r in 0 ..< keep.count where keep[r] { keep[r] = test(r) }
        }
        return keep
    }

    /// The rows of `table` that pass the filter.
    public func apply(_ table: Table) throws -> Table {
        table.filter(try mask(table))
    }

    private static func holds<T: Comparable>(_ a: T, _ op: Op, _ b: T) -> Bool {
        switch op {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }

    private static func lexLess(_ a: ArraySlice<UInt8>, _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    private static func predicate(_ c: Condition, _ column: Column) throws -> (Int) -> Bool {
        switch c {
        case .isNull(_, let negated):
            return { r in column.isNull(r) != negated }
        case .compare(let name, let op, let literal):
            func mismatch(_ what: String) -> ExperimentError {
                ExperimentError(field: "source.filter", "column '\(name)' is \(column.type.description); \(what)")
            }
            let notNull: (Int) -> Bool = { r in !column.isNull(r) }
            switch (column.type, literal) {
            case (.bool, .bool(let b)):
                guard op == .eq || op == .ne, case .bool(let v) = column.data else {
                    throw mismatch("booleans take = or != only")
                }
                return { r in notNull(r) && (op == .eq ? v[r] == b : v[r] != b) }
            case (.int8, .number(let n)), (.int16, .number(let n)), (.int32, .number(let n)), (.int64, .number(let n)):
                if let exact = Int64(n) {
                    switch column.data {
                    case .int32(let v): return { r in notNull(r) && holds(Int64(v[r]), op, exact) }
                    case .int64(let v): return { r in notNull(r) && holds(v[r], op, exact) }
                    default: throw mismatch("unexpected storage")
                    }
                }
                guard let d = Double(n) else { throw mismatch("'\(n)' is not a number") }
                switch column.data {
                case .int32(let v): return { r in notNull(r) && holds(Double(v[r]), op, d) }
                case .int64(let v): return { r in notNull(r) && holds(Double(v[r]), op, d) }
                default: throw mismatch("unexpected storage")
                }
            case (.float32, .number(let n)), (.float64, .number(let n)), (.decimal, .number(let n)):
                guard let d = Double(n) else { throw mismatch("'\(n)' is not a number") }
                switch column.data {
                case .float(let v): return { r in notNull(r) && holds(Double(v[r]), op, d) }
                case .double(let v): return { r in notNull(r) && holds(v[r], op, d) }
                case .decimal(let v):
                    guard case .decimal(_, let scale) = column.type else { throw mismatch("unexpected storage") }
                    var p = 1.0
                    for _ in 0 ..< max(0, scale) { p *= 10 }
                    let power = p
                    return { r in notNull(r) && holds(Double(v[r]) / power, op, d) }
                default: throw mismatch("unexpected storage")
                }
            case (.string, .string(let s)):
                let b = Array(s.utf8)
                switch column.data {
                case .bytes(let buf): return { r in notNull(r) && holds(lexLess(buf.slice(r), b), op, 0) }
                case .dictionary(let idx, let dict):
                    return { r in notNull(r) && holds(lexLess(dict.slice(Int(idx[r])), b), op, 0) }
                default: throw mismatch("unexpected storage")
                }
            case (.date, .string(let s)), (.timestamp, .string(let s)):
                guard let t = TimeText.instant(s) else {
                    throw mismatch("'\(s)' is not a date (YYYY-MM-DD) or an ISO-8601 timestamp")
                }
                switch (column.type, column.data) {
                case (.date, .int32(let days)):
                    return { r in notNull(r) && holds(TimeText.Instant(seconds: Int64(days[r]) * 86_400, nanos: 0), op, t) }
                case (.timestamp(let unit, _), .int64(let ticks)):
                    let per = unit.perSecond, nanosPerTick = 1_000_000_000 / unit.perSecond
                    return { r in
                        guard notNull(r) else { return false }
                        let (sec, rest) = CivilTime.floorDivMod(ticks[r], per)
                        return holds(TimeText.Instant(seconds: sec, nanos: rest * nanosPerTick), op, t)
                    }
                default: throw mismatch("unexpected storage")
                }
            case (_, .number(let n)): throw mismatch("it cannot be compared with the number \(n)")
            case (_, .string(let s)): throw mismatch("it cannot be compared with the text '\(s)'")
            case (_, .bool(let b)): throw mismatch("it cannot be compared with \(b)")
            }
        }
    }
}
