/// How a numeric feature (or a date's `age_days`) fills a null: with the mean or the median of
/// the non-null values seen at fit, or with a constant.
///
/// ```yaml
/// impute: median           # or: mean (the default)
/// impute: constant
/// value: 0
/// ```
public enum Imputation: Sendable, Hashable {
    case mean
    case median
    case constant(Double)

    static let keywords = ["mean", "median", "constant"]

    /// Reads `impute` and `value` from an entry (absent → `mean`).
    static func decode(from c: KeyedDecodingContainer<SpecKey>) throws -> Imputation {
        let word = try c.keyword("impute", keywords) ?? "mean"
        let value = try c.optional(Double.self, "value")
        switch word {
        case "constant":
            guard let v = value else { throw c.bad("value", "impute: constant needs a 'value'") }
            guard v.isFinite else { throw c.bad("value", "the constant must be finite") }
            return .constant(v)
        default:
            if value != nil { throw c.bad("value", "'value' is only allowed with impute: constant") }
            return word == "median" ? .median : .mean
        }
    }

    func encode(to c: inout KeyedEncodingContainer<SpecKey>) throws {
        switch self {
        case .mean: try c.encode("mean", forKey: SpecKey("impute"))
        case .median: try c.encode("median", forKey: SpecKey("impute"))
        case .constant(let v):
            try c.encode("constant", forKey: SpecKey("impute"))
            try c.encode(v, forKey: SpecKey("value"))
        }
    }
}
