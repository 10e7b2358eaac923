/// The minimal view of a run that search needs; the store's `Run` conforms with a few lines.
///
/// ```swift
/// extension Run: SearchableRun {
///     public func latestMetric(_ key: String) -> Double? { data.latestMetrics[key] }
///     public func param(_ key: String) -> String? { data.params[key] }
///     public func tag(_ key: String) -> String? { data.tags[key] }
///     public var datasetInputs: [SearchableDatasetInput] { inputs.map { .init(name: $0.name, digest: $0.digest, context: $0.tags["mlflow.data.context"]) } }
///     // runID, runName, status, userID, artifactURI, startTime, endTime from info
/// }
/// ```
public protocol SearchableRun {
    /// 32-char hex run id.
    var runID: String { get }
    /// The run name (MLflow searches it through the `mlflow.runName` tag; keep them equal).
    var runName: String? { get }
    /// `RUNNING`, `SCHEDULED`, `FINISHED`, `FAILED` or `KILLED`.
    var status: String { get }
    var userID: String? { get }
    var artifactURI: String? { get }
    /// Milliseconds since the epoch.
    var startTime: Int64 { get }
    /// Milliseconds since the epoch; nil while the run has not ended.
    var endTime: Int64? { get }
    /// The latest value of a metric (max by step, then timestamp, then value), or nil if never logged.
    func latestMetric(_ key: String) -> Double?
    func param(_ key: String) -> String?
    func tag(_ key: String) -> String?
    /// The datasets the run logged as inputs.
    var datasetInputs: [SearchableDatasetInput] { get }
}

/// A dataset input as search sees it: name, digest, and the `mlflow.data.context` input tag.
///
/// ```swift
/// SearchableDatasetInput(name: "customers", digest: "3f2a…", context: "training")
/// ```
public struct SearchableDatasetInput: Sendable, Hashable, Codable {
    public var name: String
    public var digest: String
    public var context: String?

    public init(name: String, digest: String, context: String? = nil) {
        self.name = name
        self.digest = digest
        self.context = context
    }
}

extension SearchableRun {
    /// The value of a string attribute (`run_id`, `run_name`, `status`, `user_id`, `artifact_uri`).
    func stringAttribute(_ a: RunAttribute) -> String? {
        switch a {
        case .runID: return runID
        case .runName: return runName
        case .status: return status
        case .userID: return userID
        case .artifactURI: return artifactURI
        case .startTime, .endTime: return nil
        }
    }

    /// The value of a numeric attribute (`start_time`, `end_time`).
    func numericAttribute(_ a: RunAttribute) -> Int64? {
        switch a {
        case .startTime: return startTime
        case .endTime: return endTime
        default: return nil
        }
    }
}
