/// A metric point attached to a logged model: what MLflow 3 records when `runs/log-metric` or
/// `runs/log-batch` carries a `model_id` (the fluent client adds it for metrics logged at the step
/// of a model output). Every point is kept, in logging order; the run keeps its own copy of the
/// metric as usual.
///
/// ```swift
/// try store.logLoggedModelMetrics(runId: run, metrics: [
///     LoggedModelMetric(modelId: model, metric: Metric(key: "auc", value: 0.91, timestamp: now), datasetName: "eval", datasetDigest: "3f2a")])
/// ```
public struct LoggedModelMetric: Codable, Sendable, Hashable {
    public var modelId: String
    public var metric: Metric
    /// The run that logged the point (set by the store).
    public var runId: String?
    public var datasetName: String?
    public var datasetDigest: String?

    public init(modelId: String, metric: Metric, runId: String? = nil, datasetName: String? = nil, datasetDigest: String? = nil) {
        self.modelId = modelId
        self.metric = metric
        self.runId = runId
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }
}
