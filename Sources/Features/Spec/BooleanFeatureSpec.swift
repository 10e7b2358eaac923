/// A boolean input column: one feature, 1 for true and 0 for false; a null becomes `impute`
/// (`false` by default, `true`, or `most_frequent`: the value seen more often at fit, false on a tie).
///
/// ```yaml
/// boolean:
///   - partner
///   - column: senior
///     impute: most_frequent
/// ```
public struct BooleanFeatureSpec: Sendable, Hashable, Codable {
    /// What a null becomes.
    public enum Imputation: String, Sendable, Hashable, Codable, CaseIterable {
        case `false`
        case `true`
        case mostFrequent = "most_frequent"
    }

    public var column: String
    public var impute: Imputation

    public init(column: String, impute: Imputation = .false) {
        self.column = column
        self.impute = impute
    }

    public init(from decoder: any Decoder) throws {
        let (name, fields) = try SpecEntry.open(decoder)
        column = name
        guard let c = fields else {
            impute = .false
            return
        }
        try c.rejectUnknownKeys(["column", "impute"])
        let word = try c.keyword("impute", Imputation.allCases.map(\.rawValue)) ?? "false"
        impute = Imputation(rawValue: word) ?? .false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.encode(column, forKey: SpecKey("column"))
        try c.encode(impute.rawValue, forKey: SpecKey("impute"))
    }
}
