/// Why ``LogisticRegression/fit(x:y:sampleWeights:featureNames:progress:)`` or a
/// ``LogisticModel`` prediction refused its input. Each case names the offending field, row or column.
///
/// ```swift
/// do { _ = try LogisticRegression().fit(x: x, y: y, featureNames: names) }
/// catch let e as LogisticRegressionError { print(e) } // e.g. "label at row 17 is 2.0; labels must be 0 or 1"
/// ```
public enum LogisticRegressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A hyper-parameter is out of range: (field, reason).
    case invalidParameter(String, String)
    /// Inputs disagree in size: a description naming both sides.
    case shape(String)
    /// A label other than 0 or 1.
    case invalidLabel(row: Int, value: Double)
    /// A NaN or infinite feature value.
    case nonFiniteFeature(row: Int, column: String)
    /// A negative or non-finite sample weight.
    case invalidSampleWeight(row: Int, value: Double)
    /// Every row with positive weight has this label: there is nothing to separate.
    case singleClass(label: Int, rows: Int)
    /// No rows (or every weight is zero).
    case empty(String)

    public var description: String {
        switch self {
        case .invalidParameter(let f, let why): "logistic regression parameter \(f) \(why)"
        case .shape(let s): "logistic regression: \(s)"
        case .invalidLabel(let row, let v): "label at row \(row) is \(v); labels must be 0 or 1"
        case .nonFiniteFeature(let row, let c): "feature '\(c)' at row \(row) is NaN or infinite"
        case .invalidSampleWeight(let row, let v): "sample weight at row \(row) is \(v); weights must be finite and ≥ 0"
        case .singleClass(let label, let rows):
            "every weighted row (\(rows)) has label \(label); logistic regression needs both classes 0 and 1"
        case .empty(let s): "logistic regression: \(s)"
        }
    }
}
