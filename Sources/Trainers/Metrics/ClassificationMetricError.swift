/// Why a ``ClassificationMetrics`` function refused its input; each case names the row or argument.
///
/// ```swift
/// do { _ = try ClassificationMetrics.rocAUC(labels: [1, 1], scores: [0.2, 0.9]) }
/// catch let e as ClassificationMetricError { print(e) } // ROC AUC is undefined: only label 1 is present
/// ```
public enum ClassificationMetricError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Arrays of different lengths: a description naming both.
    case shape(String)
    /// A label other than 0 or 1.
    case invalidLabel(row: Int, value: Double)
    /// A NaN or infinite score or probability.
    case nonFinite(row: Int, what: String)
    /// A probability outside [0, 1].
    case probabilityOutOfRange(row: Int, value: Double)
    /// A negative or non-finite sample weight.
    case invalidSampleWeight(row: Int, value: Double)
    /// The metric has no value for this input (e.g. AUC with one class present).
    case undefined(String)
    /// A bad argument (threshold, bin count).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .shape(let s): "classification metric: \(s)"
        case .invalidLabel(let row, let v): "label at row \(row) is \(v); labels must be 0 or 1"
        case .nonFinite(let row, let what): "\(what) at row \(row) is NaN or infinite"
        case .probabilityOutOfRange(let row, let v): "probability at row \(row) is \(v), outside [0, 1]"
        case .invalidSampleWeight(let row, let v): "sample weight at row \(row) is \(v); weights must be finite and ≥ 0"
        case .undefined(let s): s
        case .invalidArgument(let s): "classification metric: \(s)"
        }
    }
}
