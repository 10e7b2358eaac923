/// What a fitted pipeline does with a categorical value it has no feature for.
///
/// - `bucket` (the default, and what training does): the value goes to `<column>=__unknown__`,
///   whether it was too rare to keep at fit or never seen at all.
/// - `reject`: a value never seen at fit is an error naming the column and the value (and the
///   row, for a table); one seen but too rare to keep (`min_frequency`) still goes to
///   `__unknown__`, as in training. Nulls are handled as in `bucket`. A column whose rare
///   categories were not recorded (a package written before they were, or more than
///   ``FittedCategorical/maxInfrequent`` of them) cannot tell the two apart and is bucketed.
///
/// ```swift
/// let x = try fitted.transform(row: ["contract": "one-year"], unknownCategories: .reject)
/// // "two-year" would throw: contract: unknown category 'two-year' (not seen when …)
/// ```
public enum UnknownCategoryPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case bucket
    case reject
}
