import GoldTables

/// A fitted date/timestamp feature block.
///
/// Features, in the spec's `derive` order: `<column>.age_days` = (reference − value) / one day,
/// imputed and optionally standardized by `ageDays`; `<column>.dow_0` … `<column>.dow_6`, one-hot
/// day of week with 0 = Monday (UTC day for timestamps), all 0 for null.
///
/// ```swift
/// let d = fitted.dates[0]              // signup_date, reference 20089 (2025-01-01)
/// // a row with signup_date 2024-12-31 gets signup_date.age_days = 1 before scaling
/// ```
public struct FittedDate: Sendable, Hashable, Codable {
    public var column: String
    /// The column's type at fit: `date`, or `timestamp` whose unit the ticks below use.
    public var type: DataType
    /// The reference in ticks of `type` (days for a date column): the spec's, or the fit maximum.
    public var reference: Int64
    public var derive: [DateFeatureSpec.Derived]
    /// Imputation and scaling of `age_days` (nil when not derived).
    public var ageDays: NumericTransform?

    public init(column: String, type: DataType, reference: Int64, derive: [DateFeatureSpec.Derived], ageDays: NumericTransform?) {
        self.column = column
        self.type = type
        self.reference = reference
        self.derive = derive
        self.ageDays = ageDays
    }

    /// Ticks per day of `type` (1 for dates).
    var ticksPerDay: Int64 {
        if case .timestamp(let unit, _) = type { return 86_400 * unit.perSecond }
        return 1
    }

    var width: Int { derive.reduce(0) { $0 + ($1 == .ageDays ? 1 : 7) } }

    var names: [String] {
        derive.flatMap { d -> [String] in
            d == .ageDays ? ["\(column).age_days"] : (0 ..< 7).map { "\(column).dow_\($0)" }
        }
    }

    // MARK: Fit

    static func fit(_ spec: DateFeatureSpec, table: Table) throws -> FittedDate {
        let c = try ColumnValues.find(spec.column, in: table)
        let name = c.name  // as the table spells it (a spec may differ in case)
        switch c.type {
        case .date, .timestamp: break
        default: throw FeatureError(column: name, "a date feature needs a date or timestamp column, not \(c.type.description)")
        }
        let ticks = try ColumnValues.ticks(c, fittedType: c.type, name: name)
        let reference: Int64
        if let text = spec.reference {
            guard let instant = TimeText.instant(text) else { throw FeatureError(column: name, "bad reference '\(text)'") }
            if case .timestamp(let unit, _) = c.type {
                guard let t = TimeText.ticks(instant, perSecond: unit.perSecond) else {
                    throw FeatureError(column: name, "reference '\(text)' is out of range for \(c.type.description)")
                }
                reference = t
            } else {
                reference = ColumnValues.floorDiv(instant.seconds, 86_400)
            }
        } else {
            var best: Int64?
            for i in 0 ..< ticks.count where !c.isNull(i) { best = max(best ?? ticks[i], ticks[i]) }
            guard let b = best else { throw FeatureError(column: name, "no non-null values to take the reference (maximum) from; give a reference") }
            reference = b
        }
        var fitted = FittedDate(column: name, type: c.type, reference: reference, derive: spec.derive, ageDays: nil)
        if spec.derive.contains(.ageDays) {
            var ages = [Double](repeating: .nan, count: ticks.count)
            for i in 0 ..< ticks.count where !c.isNull(i) { ages[i] = try fitted.age(ticks[i], row: i) }
            fitted.ageDays = try NumericTransform.fit(ages, impute: spec.impute, standardize: spec.standardize, name: name)
        }
        return fitted
    }

    // MARK: Transform

    @inline(__always)
    func age(_ t: Int64, row: Int?) throws -> Double {
        let (d, overflow) = reference.subtractingReportingOverflow(t)
        guard !overflow else {
            throw FeatureError(column: column, "\(row.map { "row \($0): " } ?? "")date too far from the reference")
        }
        return Double(d) / Double(ticksPerDay)
    }

    @inline(__always)
    func dayOfWeek(_ t: Int64) -> Int {
        let day = ColumnValues.floorDiv(t, ticksPerDay)
        let m = Int((day % 7 + 7) % 7)  // 1970-01-01 was a Thursday (3 with Monday = 0)
        return (m + 3) % 7
    }

    func write(_ table: Table, into out: UnsafeMutableBufferPointer<Double>, width total: Int, offset: Int) throws {
        let c = try ColumnValues.find(column, in: table)
        try ColumnValues.check(c, fittedType: type, name: column)
        let ticks = try ColumnValues.ticks(c, fittedType: type, name: column)
        for r in 0 ..< ticks.count {
            try write(c.isNull(r) ? nil : ticks[r], row: r, into: out.baseAddress.map { $0 + r * total + offset })
        }
    }

    func write(_ value: FeatureValue, into out: inout [Double], offset: Int) throws {
        let t = try ColumnValues.ticks(value, fittedType: type, name: column)
        try out.withUnsafeMutableBufferPointer { try write(t, row: nil, into: $0.baseAddress.map { $0 + offset }) }
    }

    /// Writes this block's features for one value (nil = null) at `out`.
    @inline(__always)
    private func write(_ t: Int64?, row: Int?, into out: UnsafeMutablePointer<Double>?) throws {
        guard let out else { return }
        var k = 0
        for d in derive {
            switch d {
            case .ageDays:
                let raw = try t.map { try age($0, row: row) } ?? .nan
                out[k] = ageDays?.apply(raw) ?? raw
                k += 1
            case .dayOfWeek:
                if let t { out[k + dayOfWeek(t)] = 1 }
                k += 7
            }
        }
    }
}
