/// An MLflow 3 logged model: a model's own record, apart from the run that produced it. Its files
/// live under `<experiment artifact_location>/models/<model_id>/artifacts` (``artifactUri``; on
/// the tracking server `mlflow-artifacts:/<exp>/models/<id>/artifacts`). Created `pending`, then
/// finalized `ready` by the client after the upload; deleting is soft (``lifecycleStage``).
///
/// ```swift
/// let m = try store.createLoggedModel(experimentId: "1", name: "model", sourceRunId: run.info.runId)
/// m.modelId            // "m-3f2a…" (m- and 32 hex digits)
/// m.artifactUri        // "mlflow-artifacts:/1/models/m-3f2a…/artifacts"
/// ```
public struct LoggedModel: Codable, Sendable, Hashable {
    public var modelId: String
    public var experimentId: String
    public var name: String
    public var artifactUri: String
    /// Milliseconds since the epoch.
    public var creationTimestamp: Int64
    /// Milliseconds since the epoch; moved by finalize and delete.
    public var lastUpdatedTimestamp: Int64
    public var status: LoggedModelStatus
    public var statusMessage: String?
    /// As the client sent it; MLflow stores `""` when the client sent none.
    public var modelType: String
    /// `""` when the model was not logged from a run.
    public var sourceRunId: String
    public var lifecycleStage: LifecycleStage
    /// Sorted by key.
    public var tags: [LoggedModelTag]
    /// Sorted by key.
    public var params: [LoggedModelParameter]
    /// Every point logged with this model's id, in logging order.
    public var metrics: [LoggedModelMetric]

    public init(modelId: String, experimentId: String, name: String, artifactUri: String, creationTimestamp: Int64,
                lastUpdatedTimestamp: Int64, status: LoggedModelStatus, statusMessage: String? = nil, modelType: String = "",
                sourceRunId: String = "", lifecycleStage: LifecycleStage = .active, tags: [LoggedModelTag] = [],
                params: [LoggedModelParameter] = [], metrics: [LoggedModelMetric] = []) {
        self.modelId = modelId
        self.experimentId = experimentId
        self.name = name
        self.artifactUri = artifactUri
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.status = status
        self.statusMessage = statusMessage
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.lifecycleStage = lifecycleStage
        self.tags = tags
        self.params = params
        self.metrics = metrics
    }

    /// The value of tag `key`.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }
    /// The value of param `key`.
    public func param(_ key: String) -> String? { params.first { $0.key == key }?.value }

    /// The model id a `models:/m-<id>` URI names (MLflow 3's logged-model URI, also a model
    /// version's `source`), or nil for any other URI (`models:/<name>/<version>`, `runs:/…`).
    ///
    /// ```swift
    /// LoggedModel.modelId(fromURI: "models:/m-0123456789abcdef0123456789abcdef")   // "m-0123…"
    /// LoggedModel.modelId(fromURI: "models:/churn/3")                               // nil
    /// ```
    public static func modelId(fromURI uri: String) -> String? {
        guard uri.hasPrefix("models:/") else { return nil }
        var rest = uri.dropFirst("models:/".count)
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        let id = rest.hasSuffix("/") ? String(rest.dropLast()) : String(rest)
        return isModelId(id) ? id : nil
    }

    /// `m-` followed by 32 lowercase hex digits, as MLflow makes them.
    public static func isModelId(_ text: String) -> Bool {
        guard text.hasPrefix("m-") else { return false }
        let hex = text.dropFirst(2)
        return hex.count == 32 && hex.allSatisfy { ("0" ... "9").contains($0) || ("a" ... "f").contains($0) }
    }

    enum CodingKeys: String, CodingKey {
        case modelId = "model_id", experimentId = "experiment_id", name, artifactUri = "artifact_uri"
        case creationTimestamp = "creation_timestamp_ms", lastUpdatedTimestamp = "last_updated_timestamp_ms"
        case status, statusMessage = "status_message", modelType = "model_type", sourceRunId = "source_run_id"
        case lifecycleStage = "lifecycle_stage", tags, params, metrics
    }
}
