/// What a run logged (MLflow's `RunData`): the latest value per metric key, params and tags, each
/// sorted by key.
///
/// ```swift
/// let auc = run.data.metric("test_auc")?.value
/// ```
public struct RunData: Codable, Sendable, Hashable {
    public var metrics: [Metric]
    public var params: [Param]
    public var tags: [RunTag]

    public init(metrics: [Metric] = [], params: [Param] = [], tags: [RunTag] = []) {
        self.metrics = metrics
        self.params = params
        self.tags = tags
    }

    /// The latest point of metric `key`.
    public func metric(_ key: String) -> Metric? { metrics.first { $0.key == key } }
    /// The value of param `key`.
    public func param(_ key: String) -> String? { params.first { $0.key == key }?.value }
    /// The value of tag `key`.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }
}
