/// A date or timestamp input column and the features derived from it:
/// - `age_days`: (reference − value) in days, fractional for timestamps. The reference is
///   `reference` (`YYYY-MM-DD` or an ISO-8601 timestamp) or, when absent, the column's maximum at
///   fit (recorded in the fitted state). Nulls are imputed (`impute`/`value`, as for numeric
///   columns, default mean) and the result optionally standardized.
/// - `day_of_week`: seven one-hot features `<column>.dow_0` … `dow_6`, 0 = Monday (UTC days for
///   timestamps); a null sets all seven to 0.
///
/// ```yaml
/// dates:
///   - column: signup_date
///     derive: [age_days, day_of_week]
///     reference: 2025-01-01
///     standardize: true
/// ```
public struct DateFeatureSpec: Sendable, Hashable, Codable {
    /// A feature derived from a date.
    public enum Derived: String, Sendable, Hashable, Codable, CaseIterable {
        case ageDays = "age_days"
        case dayOfWeek = "day_of_week"
    }

    public var column: String
    /// Which features, in the order given (default `[age_days]`).
    public var derive: [Derived]
    /// The reference instant for `age_days`, as written in the spec; nil = the column's max at fit.
    public var reference: String?
    public var impute: Imputation
    public var standardize: Bool

    public init(column: String, derive: [Derived] = [.ageDays], reference: String? = nil,
                impute: Imputation = .mean, standardize: Bool = false) {
        self.column = column
        self.derive = derive
        self.reference = reference
        self.impute = impute
        self.standardize = standardize
    }

    public init(from decoder: any Decoder) throws {
        let (name, fields) = try SpecEntry.open(decoder)
        column = name
        guard let c = fields else {
            derive = [.ageDays]
            reference = nil
            impute = .mean
            standardize = false
            return
        }
        try c.rejectUnknownKeys(["column", "derive", "reference", "impute", "value", "standardize"])
        if let words = try c.optional([String].self, "derive") {
            var out: [Derived] = []
            for w in words {
                guard let d = Derived(rawValue: w) else {
                    throw c.bad("derive", "unknown value '\(w)' (expected one of: \(Derived.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard !out.contains(d) else { throw c.bad("derive", "'\(w)' listed twice") }
                out.append(d)
            }
            guard !out.isEmpty else { throw c.bad("derive", "needs at least one of: age_days, day_of_week") }
            derive = out
        } else {
            derive = [.ageDays]
        }
        reference = try c.optional(String.self, "reference")
        if let r = reference, TimeText.instant(r) == nil {
            throw c.bad("reference", "'\(r)' is not a date (YYYY-MM-DD) or an ISO-8601 timestamp")
        }
        impute = try Imputation.decode(from: c)
        standardize = try c.optional(Bool.self, "standardize") ?? false
        if !derive.contains(.ageDays), c.contains(SpecKey("standardize")) || c.contains(SpecKey("impute")) {
            throw c.bad("derive", "impute and standardize apply to age_days, which is not derived")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.encode(column, forKey: SpecKey("column"))
        try c.encode(derive.map(\.rawValue), forKey: SpecKey("derive"))
        try c.encodeIfPresent(reference, forKey: SpecKey("reference"))
        if derive.contains(.ageDays) {
            try impute.encode(to: &c)
            try c.encode(standardize, forKey: SpecKey("standardize"))
        }
    }
}
