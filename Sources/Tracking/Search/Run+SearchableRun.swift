/// The store's `Run` as search sees it: attributes from `info`, latest metrics, params and tags
/// from `data`, dataset inputs (name, digest, `mlflow.data.context` tag) from `inputs`.
///
/// ```swift
/// let filter = try RunFilter.parse("metrics.auc > 0.8")
/// let good = runs.filter { filter.matches($0) }   // runs: [Run]
/// ```
extension Run: SearchableRun {
    public var runID: String { info.runId }
    public var runName: String? { info.runName }
    public var status: String { info.status.rawValue }
    public var userID: String? { info.userId }
    public var artifactURI: String? { info.artifactUri }
    public var startTime: Int64 { info.startTime }
    public var endTime: Int64? { info.endTime }
    public func latestMetric(_ key: String) -> Double? { data.metric(key)?.value }
    public func param(_ key: String) -> String? { data.param(key) }
    public func tag(_ key: String) -> String? { data.tag(key) }
    public var datasetInputs: [SearchableDatasetInput] {
        inputs.datasetInputs.map { input in
            SearchableDatasetInput(name: input.dataset.name, digest: input.dataset.digest,
                                   context: input.tags.last { $0.key == InputTag.contextKey }?.value)
        }
    }
}
