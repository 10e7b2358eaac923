import Features

/// How the standard predictors and batch scoring treat their input, set per served model (by
/// serving, from the `serving:` section of the model's promotion policy).
///
/// - `unknownCategories`: `.bucket` (the default) scores a categorical value never seen at fit
///   through `<column>=__unknown__`, as training did with rare ones; `.reject` refuses it with
///   ``PredictionError/invalidInput(column:row:_:)`` (a 400 naming the column, row and value).
/// - `defaultK`: the number of recommendations when a row gives no `k` (clamped to 1...10000).
///
/// ```swift
/// let strict = PredictorRegistry<FeatureValue>.standard(options: ScoringOptions(unknownCategories: .reject))
/// let predictor = try strict.predictor(for: ModelPackage.load(from: dir))
/// let p = try ModelPackage.load(from: dir).probabilities(for: table, options: .init(unknownCategories: .reject))
/// ```
public struct ScoringOptions: Sendable, Hashable {
    public var unknownCategories: UnknownCategoryPolicy
    public var defaultK: Int

    public init(unknownCategories: UnknownCategoryPolicy = .bucket, defaultK: Int = 10) {
        self.unknownCategories = unknownCategories
        self.defaultK = defaultK
    }
}
