import Tracking

/// MLflow 3's logged-model messages (reference 1.1, 1.5) as MLflow 3.17's server writes them:
/// `{"info": {...}, "data": {"params": [...], "metrics": [...]}}`, `model_type` and
/// `source_run_id` always present (`""` when unset), empty lists omitted; model metric points
/// carry `dataset_name`/`dataset_digest` when set, then `model_id` and `run_id`.
///
/// ```swift
/// let body = WireValue.object([("model", TrackingWire.loggedModel(model))]).bytes()
/// ```
extension TrackingWire {
    public static func loggedModel(_ m: LoggedModel) -> WireValue {
        var info: [(String, WireValue)] = [
            ("model_id", .string(m.modelId)), ("experiment_id", .string(m.experimentId)), ("name", .string(m.name)),
            ("creation_timestamp_ms", .int(m.creationTimestamp)), ("last_updated_timestamp_ms", .int(m.lastUpdatedTimestamp)),
            ("artifact_uri", .string(m.artifactUri)), ("status", .string(m.status.rawValue)),
        ]
        if let message = m.statusMessage { info.append(("status_message", .string(message))) }
        info.append(("model_type", .string(m.modelType)))
        info.append(("source_run_id", .string(m.sourceRunId)))
        if !m.tags.isEmpty { info.append(("tags", keyValues(m.tags.map { ($0.key, $0.value) }))) }
        var data: [(String, WireValue)] = []
        if !m.params.isEmpty { data.append(("params", keyValues(m.params.map { ($0.key, $0.value) }))) }
        appendList("metrics", m.metrics.map { loggedModelMetric($0) }, to: &data)
        return .object([("info", .object(info)), ("data", .object(data))])
    }

    public static func loggedModelMetric(_ m: LoggedModelMetric) -> WireValue {
        var out: [(String, WireValue)] = [
            ("key", .string(m.metric.key)), ("value", .double(m.metric.value)), ("timestamp", .int(m.metric.timestamp)),
            ("step", .int(m.metric.step)),
        ]
        if let name = m.datasetName { out.append(("dataset_name", .string(name))) }
        if let digest = m.datasetDigest { out.append(("dataset_digest", .string(digest))) }
        out.append(("model_id", .string(m.modelId)))
        if let run = m.runId { out.append(("run_id", .string(run))) }
        return .object(out)
    }

    public static func runOutputs(_ o: RunOutputs) -> WireValue {
        var out: [(String, WireValue)] = []
        appendList("model_outputs", o.modelOutputs.map { .object([("model_id", .string($0.modelId)), ("step", .int($0.step))]) }, to: &out)
        return .object(out)
    }

    // MARK: Requests

    /// The logged-model part of a `Metric` message: nil without `model_id`.
    public static func loggedModelMetric(from p: APIParameters, metric: Metric) throws -> LoggedModelMetric? {
        guard let modelId = try p.string("model_id"), !modelId.isEmpty else { return nil }
        return LoggedModelMetric(modelId: modelId, metric: metric, datasetName: try p.string("dataset_name").flatMap { $0.isEmpty ? nil : $0 },
                                 datasetDigest: try p.string("dataset_digest").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A `LoggedModelStatus` by name or number (`status` is required).
    public static func loggedModelStatus(_ p: APIParameters, _ key: String) throws -> LoggedModelStatus {
        guard p.has(key) else { throw MLflowAPIError.missing(p.name(key)) }
        if let n = try? p.int64(key), let s = LoggedModelStatus(number: Int(n)) { return s }
        if let text = try? p.string(key), let s = LoggedModelStatus(wireValue: text) { return s }
        throw MLflowAPIError.invalid("Invalid value for parameter '\(p.name(key))': expected LOGGED_MODEL_PENDING, LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED")
    }

    /// `[{key, value}]` messages (`tags`, `params` of the logged-model calls).
    static func keyValuePairs(_ p: APIParameters, _ key: String) throws -> [(String, String)] {
        try p.objects(key).map { kv in (try kv.requiredString("key"), try kv.string("value") ?? "") }
    }
}
