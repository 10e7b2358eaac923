/// A numeric input column (any integer, float or decimal type): nulls (and NaN) imputed, then
/// optionally standardized to zero mean and unit variance (population standard deviation, as
/// scikit-learn's `StandardScaler`; a constant column keeps scale 1). One feature named after the
/// column.
///
/// ```yaml
/// numeric:
///   - tenure_months                       # impute mean, no standardization
///   - column: total_charges
///     impute: constant
///     value: 0
///     standardize: true
/// ```
public struct NumericFeatureSpec: Sendable, Hashable, Codable {
    public var column: String
    public var impute: Imputation
    public var standardize: Bool

    public init(column: String, impute: Imputation = .mean, standardize: Bool = false) {
        self.column = column
        self.impute = impute
        self.standardize = standardize
    }

    public init(from decoder: any Decoder) throws {
        let (name, fields) = try SpecEntry.open(decoder)
        column = name
        guard let c = fields else {
            impute = .mean
            standardize = false
            return
        }
        try c.rejectUnknownKeys(["column", "impute", "value", "standardize"])
        impute = try Imputation.decode(from: c)
        standardize = try c.optional(Bool.self, "standardize") ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.encode(column, forKey: SpecKey("column"))
        try impute.encode(to: &c)
        try c.encode(standardize, forKey: SpecKey("standardize"))
    }
}
