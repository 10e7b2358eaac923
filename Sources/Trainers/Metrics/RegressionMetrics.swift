/// Error metrics for explicit-feedback (rating) predictions, accumulated in Double.
///
/// - RMSE = √( (1/n) Σ_j (ŷ_j − y_j)² )
/// - MAE  = (1/n) Σ_j |ŷ_j − y_j|
///
/// ```swift
/// try RegressionMetrics.rmse(predicted: [3, 4], actual: [2, 4])   // √0.5 ≈ 0.7071
/// try RegressionMetrics.mae(predicted: [3, 4], actual: [2, 4])    // 0.5
/// ```
public enum RegressionMetrics {
    /// Root mean squared error; throws on empty or mismatched inputs or a non-finite value.
    public static func rmse<T: BinaryFloatingPoint>(predicted: [T], actual: [T]) throws -> Double {
        try check("rmse", predicted, actual)
        var s = 0.0
        for j in predicted.indices {
            let e = Double(predicted[j]) - Double(actual[j])
            s += e * e
        }
        return (s / Double(predicted.count)).squareRoot()
    }

    /// Mean absolute error; throws on empty or mismatched inputs or a non-finite value.
    public static func mae<T: BinaryFloatingPoint>(predicted: [T], actual: [T]) throws -> Double {
        try check("mae", predicted, actual)
        var s = 0.0
        for j in predicted.indices { s += abs(Double(predicted[j]) - Double(actual[j])) }
        return s / Double(predicted.count)
    }

    private static func check<T: BinaryFloatingPoint>(_ metric: String, _ predicted: [T], _ actual: [T]) throws {
        guard predicted.count == actual.count else {
            throw MetricError(metric: metric, "\(predicted.count) predictions for \(actual.count) actual values")
        }
        guard !predicted.isEmpty else { throw MetricError(metric: metric, "no values") }
        if let j = predicted.indices.first(where: { !predicted[$0].isFinite || !actual[$0].isFinite }) {
            throw MetricError(metric: metric, "value \(j) is not finite (predicted \(predicted[j]), actual \(actual[j]))")
        }
    }
}
