/// An error computing an evaluation metric: names the metric and what is wrong with its input.
///
/// ```swift
/// do { _ = try RegressionMetrics.rmse(predicted: [1], actual: []) }
/// catch let e as MetricError { print(e) }   // rmse: 1 predictions for 0 actual values
/// ```
public struct MetricError: Error, Sendable, Hashable, CustomStringConvertible {
    public var metric: String
    public var message: String
    public init(metric: String, _ message: String) {
        self.metric = metric
        self.message = message
    }
    public var description: String { "\(metric): \(message)" }
}
