import Tracking

/// The tracking entities in MLflow's REST JSON shapes (reference section 1.1): snake_case field
/// names, ids as strings, int64 as numbers, enums by name, unset fields and empty lists omitted,
/// `run_uuid` sent beside `run_id` as MLflow still does. The `from` functions read the request
/// messages (Metric, Param, tags, DatasetInput).
///
/// ```swift
/// let body = WireValue.object([("run", TrackingWire.run(run))]).bytes()
/// let metric = try TrackingWire.metric(from: params)   // key, value, timestamp, step
/// ```
public enum TrackingWire {
    static func keyValues(_ pairs: [(String, String)]) -> WireValue {
        .array(pairs.map { .object([("key", .string($0.0)), ("value", .string($0.1))]) })
    }

    /// Appends `(name, value)` unless the list is empty (protobuf JSON omits empty repeated fields).
    static func appendList(_ name: String, _ items: [WireValue], to out: inout [(String, WireValue)]) {
        if !items.isEmpty { out.append((name, .array(items))) }
    }

    public static func experiment(_ e: Experiment) -> WireValue {
        var out: [(String, WireValue)] = [
            ("experiment_id", .string(e.experimentId)), ("name", .string(e.name)),
            ("artifact_location", .string(e.artifactLocation)), ("lifecycle_stage", .string(e.lifecycleStage.rawValue)),
            ("last_update_time", .int(e.lastUpdateTime)), ("creation_time", .int(e.creationTime)),
        ]
        if !e.tags.isEmpty { out.append(("tags", keyValues(e.tags.map { ($0.key, $0.value) }))) }
        return .object(out)
    }

    public static func runInfo(_ i: RunInfo) -> WireValue {
        var out: [(String, WireValue)] = [
            ("run_uuid", .string(i.runId)), ("run_id", .string(i.runId)), ("run_name", .string(i.runName)),
            ("experiment_id", .string(i.experimentId)), ("user_id", .string(i.userId)), ("status", .string(i.status.rawValue)),
            ("start_time", .int(i.startTime)),
        ]
        if let end = i.endTime { out.append(("end_time", .int(end))) }
        out.append(("artifact_uri", .string(i.artifactUri)))
        out.append(("lifecycle_stage", .string(i.lifecycleStage.rawValue)))
        return .object(out)
    }

    public static func metric(_ m: Metric) -> WireValue {
        .object([("key", .string(m.key)), ("value", .double(m.value)), ("timestamp", .int(m.timestamp)), ("step", .int(m.step))])
    }

    public static func datasetInput(_ d: DatasetInput) -> WireValue {
        var ds: [(String, WireValue)] = [
            ("name", .string(d.dataset.name)), ("digest", .string(d.dataset.digest)),
            ("source_type", .string(d.dataset.sourceType)), ("source", .string(d.dataset.source)),
        ]
        if let s = d.dataset.schema { ds.append(("schema", .string(s))) }
        if let p = d.dataset.profile { ds.append(("profile", .string(p))) }
        var out: [(String, WireValue)] = []
        if !d.tags.isEmpty { out.append(("tags", keyValues(d.tags.map { ($0.key, $0.value) }))) }
        out.append(("dataset", .object(ds)))
        return .object(out)
    }

    /// `outputs` false leaves the `outputs` object out, as MLflow's `runs/create` answers.
    public static func run(_ r: Run, outputs: Bool = true) -> WireValue {
        var data: [(String, WireValue)] = []
        appendList("metrics", r.data.metrics.map { metric($0) }, to: &data)
        if !r.data.params.isEmpty { data.append(("params", keyValues(r.data.params.map { ($0.key, $0.value) }))) }
        if !r.data.tags.isEmpty { data.append(("tags", keyValues(r.data.tags.map { ($0.key, $0.value) }))) }
        var inputs: [(String, WireValue)] = []
        appendList("dataset_inputs", r.inputs.datasetInputs.map { datasetInput($0) }, to: &inputs)
        appendList("model_inputs", r.inputs.modelInputs.map { .object([("model_id", .string($0.modelId))]) }, to: &inputs)
        var out: [(String, WireValue)] = [("info", runInfo(r.info)), ("data", .object(data)), ("inputs", .object(inputs))]
        if outputs { out.append(("outputs", runOutputs(r.outputs))) }
        return .object(out)
    }

    // MARK: Requests

    /// A `Metric` message; `key`, `value` and `timestamp` are required, `step` defaults to 0.
    public static func metric(from p: APIParameters) throws -> Metric {
        let key = try p.requiredString("key")
        guard let value = try p.double("value") else { throw MLflowAPIError.missing(p.name("value")) }
        return Metric(key: key, value: value, timestamp: try p.requiredInt64("timestamp"), step: try p.int64("step") ?? 0)
    }

    /// A `Param`; a value longer than MLflow's limit (6000 characters) is cut to it, as MLflow's
    /// server does by default (`MLFLOW_TRUNCATE_LONG_VALUES`).
    public static func param(from p: APIParameters) throws -> Param {
        Param(key: try p.requiredString("key"),
              value: truncated(try p.string("value") ?? "", to: EntityValidation.maxParamValueLength))
    }

    /// A `RunTag`; a value longer than MLflow's limit (8000 characters) is cut to it, as MLflow does.
    public static func runTag(from p: APIParameters) throws -> RunTag {
        RunTag(key: try p.requiredString("key"),
               value: truncated(try p.string("value") ?? "", to: EntityValidation.maxRunTagValueLength))
    }

    /// The first `limit` characters (Unicode scalars, Python's `len`) of `value`.
    static func truncated(_ value: String, to limit: Int) -> String {
        guard value.utf8.count > limit, value.unicodeScalars.count > limit else { return value }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: value.unicodeScalars.prefix(limit))
        return String(out)
    }

    public static func experimentTag(from p: APIParameters) throws -> ExperimentTag {
        ExperimentTag(key: try p.requiredString("key"), value: try p.string("value") ?? "")
    }

    /// A `DatasetInput` message: `dataset` with name, digest, source_type, source (required),
    /// schema and profile; input `tags`.
    public static func datasetInput(from p: APIParameters) throws -> DatasetInput {
        guard let d = try p.object("dataset") else { throw MLflowAPIError.missing(p.name("dataset")) }
        let dataset = Dataset(name: try d.requiredString("name"), digest: try d.requiredString("digest"),
                              sourceType: try d.requiredString("source_type"), source: try d.requiredString("source"),
                              schema: try d.string("schema"), profile: try d.string("profile"))
        let tags = try p.objects("tags").map { t in InputTag(key: try t.requiredString("key"), value: try t.string("value") ?? "") }
        return DatasetInput(dataset: dataset, tags: tags)
    }

    /// A `ViewType` by name or number; nil when absent.
    public static func viewType(_ p: APIParameters, _ key: String) throws -> ViewType? {
        guard p.has(key) else { return nil }
        if let n = try? p.int64(key) {
            switch n {
            case 1: return .activeOnly
            case 2: return .deletedOnly
            case 3: return .all
            default: break
            }
        } else if let s = try p.string(key), let v = ViewType(rawValue: s.uppercased()) {
            return v
        }
        throw MLflowAPIError.invalid("Invalid value for parameter '\(p.name(key))': expected ACTIVE_ONLY, DELETED_ONLY or ALL")
    }

    /// A `RunStatus` by name or number; nil when absent.
    public static func runStatus(_ p: APIParameters, _ key: String) throws -> RunStatus? {
        guard p.has(key) else { return nil }
        if let n = try? p.int64(key) {
            let all: [RunStatus] = [.running, .scheduled, .finished, .failed, .killed]
            if n >= 1, n <= 5 { return all[Int(n - 1)] }
        } else if let s = try p.string(key), let v = RunStatus(rawValue: s.uppercased()) {
            return v
        }
        throw MLflowAPIError.invalid("Invalid value for parameter '\(p.name(key))': expected RUNNING, SCHEDULED, FINISHED, FAILED or KILLED")
    }
}
