/// A categorical input column (string or integer type), one-hot encoded. Categories seen at
/// least `minFrequency` times at fit get a feature each (sorted: byte-wise for strings,
/// numerically for integers); rarer ones and categories never seen at fit share the
/// `<column>=__unknown__` feature, which is always present.
///
/// Nulls (`nulls`): `category` (the default) makes null a category of its own, `<column>=__null__`,
/// kept like any other when it is frequent enough (else, or when no null was seen at fit, a null
/// goes to `__unknown__`); `unknown` sends every null to `__unknown__`.
///
/// ```yaml
/// categorical:
///   - contract
///   - column: region
///     min_frequency: 50
///     nulls: unknown
/// ```
public struct CategoricalFeatureSpec: Sendable, Hashable, Codable {
    /// Where a null goes.
    public enum Nulls: String, Sendable, Hashable, Codable, CaseIterable {
        case category
        case unknown
    }

    public var column: String
    public var minFrequency: Int
    public var nulls: Nulls

    public init(column: String, minFrequency: Int = 1, nulls: Nulls = .category) {
        self.column = column
        self.minFrequency = minFrequency
        self.nulls = nulls
    }

    public init(from decoder: any Decoder) throws {
        let (name, fields) = try SpecEntry.open(decoder)
        column = name
        guard let c = fields else {
            minFrequency = 1
            nulls = .category
            return
        }
        try c.rejectUnknownKeys(["column", "min_frequency", "nulls"])
        let m = try c.optional(Int.self, "min_frequency") ?? 1
        guard m >= 1 else { throw c.bad("min_frequency", "must be at least 1, got \(m)") }
        minFrequency = m
        let word = try c.keyword("nulls", Nulls.allCases.map(\.rawValue)) ?? "category"
        nulls = Nulls(rawValue: word) ?? .category
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.encode(column, forKey: SpecKey("column"))
        try c.encode(minFrequency, forKey: SpecKey("min_frequency"))
        try c.encode(nulls.rawValue, forKey: SpecKey("nulls"))
    }
}
