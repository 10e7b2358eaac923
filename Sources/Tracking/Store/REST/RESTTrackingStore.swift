import Foundation

/// A ``TrackingStore`` over MLflow's REST protocol: any MLflow-compatible tracking server (`mltrack
/// server` or a real `mlflow server`) at `http(s)://host:port[/prefix]`. Selected by
/// `MLTRACK_TRACKING_URI=http://…` through ``TrackingURI/openStore()``.
///
/// Semantics are the server's (it validates, generates ids and names, pages). Differences from the
/// SQLite store, all listed in `docs/design/rest-store.md`:
/// - the audit log lives on the server and MLflow's protocol cannot read or append to it:
///   ``audit(after:limit:)`` and ``appendAudit(entityKind:entityId:action:details:actor:)`` throw
///   `INVALID_STATE`; `actor` is only used as the default `user_id` of ``createRun``;
/// - ``logBatch(runId:metrics:params:tags:actor:)`` sends one request (atomic on the server, MLflow's
///   limits apply); ``logBatchChunked(runId:metrics:params:tags:)`` splits larger batches as MLflow's
///   client does, without atomicity across chunks.
///
/// Calls are synchronous and block the calling thread (see ``URLSessionTransport``); failed
/// connections and 408/429/5xx answers are retried per ``RESTRetryPolicy``.
///
/// ```swift
/// let store = try RESTTrackingStore(uri: "http://127.0.0.1:5000")
/// let exp = try store.createExperiment(name: "churn")
/// let run = try store.createRun(experimentId: exp, runName: "baseline")
/// try store.logMetric(runId: run.info.runId, metric: Metric(key: "auc", value: 0.91, timestamp: 1))
/// ```
public final class RESTTrackingStore: TrackingStore {
    public let client: RESTClient
    private let now: @Sendable () -> Int64

    /// A store talking to the server at `uri` with the environment's retry policy and credentials.
    public convenience init(uri: String) throws {
        self.init(client: try RESTClient(baseURL: uri))
    }

    public init(client: RESTClient, clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }) {
        self.client = client
        self.now = clock
    }

    /// The server's base URL.
    public var uri: String { client.baseURL.absoluteString }

    private func get<R: Decodable>(_ type: R.Type, _ path: String, _ query: [(String, String)]) throws -> R {
        try MLflowWire.decode(type, from: try client.get(path, query: query))
    }

    private func post<B: Encodable, R: Decodable>(_ type: R.Type, _ path: String, _ body: B) throws -> R {
        try MLflowWire.decode(type, from: try client.call("POST", path, body: body))
    }

    private func post<B: Encodable>(_ path: String, _ body: B) throws {
        _ = try client.call("POST", path, body: body)
    }

    private static func kv(_ pairs: [(String, String)]) -> [MLflowWire.KeyValue] {
        pairs.map { MLflowWire.KeyValue(key: $0.0, value: $0.1) }
    }

    // MARK: Experiments

    public func createExperiment(name: String, artifactLocation: String?, tags: [ExperimentTag], actor: String?) throws -> String {
        try post(MLflowWire.CreateExperimentResponse.self, "experiments/create",
                 MLflowWire.CreateExperiment(name: name, artifact_location: artifactLocation, tags: Self.kv(tags.map { ($0.key, $0.value) })))
            .experiment_id
    }

    public func getExperiment(id: String) throws -> Experiment {
        try get(MLflowWire.ExperimentResponse.self, "experiments/get", [("experiment_id", id)]).experiment.model
    }

    public func getExperimentByName(_ name: String) throws -> Experiment? {
        do {
            return try get(MLflowWire.ExperimentResponse.self, "experiments/get-by-name", [("experiment_name", name)]).experiment.model
        } catch let e as TrackingError where e.code == .resourceDoesNotExist {
            return nil
        }
    }

    /// As the SQLite store, a key given twice in `orderBy` is refused here (MLflow's server would
    /// accept it).
    public func searchExperiments(_ query: ExperimentQuery) throws -> Page<Experiment> {
        var seen = Set<ExperimentOrderBy.Attribute>()
        for o in query.orderBy where !seen.insert(o.attribute).inserted {
            throw TrackingError(.invalidParameterValue, "`order_by` contains duplicate fields: \(o.attribute.rawValue)")
        }
        let body = MLflowWire.SearchExperiments(
            max_results: query.maxResults, page_token: query.pageToken.flatMap { $0.isEmpty ? nil : $0 },
            filter: query.filter.map(Self.filterText),
            order_by: query.orderBy.map { "\($0.attribute.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            view_type: query.viewType.rawValue)
        let r = try post(MLflowWire.SearchExperimentsResponse.self, "experiments/search", body)
        return Page(items: r.items.map(\.model), nextPageToken: r.nextPageToken)
    }

    public func renameExperiment(id: String, newName: String, actor: String?) throws {
        try post("experiments/update", MLflowWire.UpdateExperiment(experiment_id: id, new_name: newName))
    }

    public func deleteExperiment(id: String, actor: String?) throws {
        try post("experiments/delete", MLflowWire.ExperimentId(experiment_id: id))
    }

    public func restoreExperiment(id: String, actor: String?) throws {
        try post("experiments/restore", MLflowWire.ExperimentId(experiment_id: id))
    }

    public func setExperimentTag(id: String, tag: ExperimentTag, actor: String?) throws {
        try post("experiments/set-experiment-tag", MLflowWire.SetExperimentTag(experiment_id: id, key: tag.key, value: tag.value))
    }

    public func deleteExperimentTag(id: String, key: String, actor: String?) throws {
        try post("experiments/delete-experiment-tag", MLflowWire.DeleteExperimentTag(experiment_id: id, key: key))
    }

    // MARK: Runs

    public func createRun(experimentId: String, userId: String?, runName: String?, startTime: Int64?, tags: [RunTag], actor: String?) throws -> Run {
        let body = MLflowWire.CreateRun(experiment_id: experimentId, user_id: userId ?? AuditActor.resolve(actor), run_name: runName,
                                        start_time: startTime ?? now(), tags: Self.kv(tags.map { ($0.key, $0.value) }))
        return try post(MLflowWire.RunResponse.self, "runs/create", body).run.model
    }

    public func getRun(id: String) throws -> Run {
        try get(MLflowWire.RunResponse.self, "runs/get", [("run_id", id), ("run_uuid", id)]).run.model
    }

    @discardableResult
    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?, actor: String?) throws -> RunInfo {
        try post(MLflowWire.UpdateRunResponse.self, "runs/update",
                 MLflowWire.UpdateRun(run_id: id, run_uuid: id, status: status?.rawValue, end_time: endTime, run_name: runName)).run_info.model
    }

    public func deleteRun(id: String, actor: String?) throws {
        try post("runs/delete", MLflowWire.RunId(run_id: id))
    }

    public func restoreRun(id: String, actor: String?) throws {
        try post("runs/restore", MLflowWire.RunId(run_id: id))
    }

    // MARK: Logging

    public func logMetric(runId: String, metric: Metric, actor: String?) throws {
        try post("runs/log-metric", MLflowWire.LogMetric(run_id: runId, run_uuid: runId, key: metric.key, value: metric.value,
                                                          timestamp: metric.timestamp, step: metric.step))
    }

    public func logParam(runId: String, param: Param, actor: String?) throws {
        try post("runs/log-parameter", MLflowWire.LogParam(run_id: runId, run_uuid: runId, key: param.key, value: param.value))
    }

    public func setTag(runId: String, tag: RunTag, actor: String?) throws {
        try post("runs/set-tag", MLflowWire.SetTag(run_id: runId, run_uuid: runId, key: tag.key, value: tag.value))
    }

    public func deleteTag(runId: String, key: String, actor: String?) throws {
        try post("runs/delete-tag", MLflowWire.DeleteTag(run_id: runId, key: key))
    }

    /// One `runs/log-batch` request: atomic on the server; more than MLflow's limits (1000 metrics,
    /// 100 params, 100 tags, 1000 in all) is the server's `INVALID_PARAMETER_VALUE`.
    public func logBatch(runId: String, metrics: [Metric], params: [Param], tags: [RunTag], actor: String?) throws {
        try post("runs/log-batch", MLflowWire.LogBatch(run_id: runId, metrics: metrics.map(MLflowWire.WireMetric.init),
                                                        params: Self.kv(params.map { ($0.key, $0.value) }),
                                                        tags: Self.kv(tags.map { ($0.key, $0.value) })))
    }

    /// Any number of metrics, params and tags, split into `runs/log-batch` requests within MLflow's
    /// limits (params first, then tags, then metrics, as MLflow's client orders them). Not atomic: a
    /// failing chunk leaves the earlier ones logged.
    public func logBatchChunked(runId: String, metrics: [Metric] = [], params: [Param] = [], tags: [RunTag] = []) throws {
        for chunk in Self.chunks(metrics: metrics, params: params, tags: tags) {
            try logBatch(runId: runId, metrics: chunk.metrics, params: chunk.params, tags: chunk.tags, actor: nil)
        }
    }

    /// The batches ``logBatchChunked(runId:metrics:params:tags:)`` sends.
    public static func chunks(metrics: [Metric], params: [Param], tags: [RunTag]) -> [(metrics: [Metric], params: [Param], tags: [RunTag])] {
        var out: [(metrics: [Metric], params: [Param], tags: [RunTag])] = []
        var m = metrics[...], p = params[...], t = tags[...]
        while !m.isEmpty || !p.isEmpty || !t.isEmpty {
            let ps = Array(p.prefix(EntityValidation.maxParamsPerBatch)); p = p.dropFirst(ps.count)
            let ts = Array(t.prefix(min(EntityValidation.maxTagsPerBatch, EntityValidation.maxEntitiesPerBatch - ps.count))); t = t.dropFirst(ts.count)
            let room = min(EntityValidation.maxMetricsPerBatch, EntityValidation.maxEntitiesPerBatch - ps.count - ts.count)
            let ms = Array(m.prefix(room)); m = m.dropFirst(ms.count)
            out.append((ms, ps, ts))
        }
        return out
    }

    public func logInputs(runId: String, datasets: [DatasetInput], actor: String?) throws {
        try post("runs/log-inputs", MLflowWire.LogInputs(run_id: runId, datasets: datasets.map(MLflowWire.WireDatasetInput.init)))
    }

    /// Every page of `metrics/get-history`, then ordered by step and timestamp (stable, so points
    /// that tie keep the server's order). MLflow's server answers an unknown run with an empty
    /// history; an empty answer is therefore checked with `runs/get`, which gives
    /// `RESOURCE_DOES_NOT_EXIST` as the protocol requires.
    public func getMetricHistory(runId: String, key: String) throws -> [Metric] {
        var out: [Metric] = [], token: String? = nil
        repeat {
            var q = [("run_id", runId), ("run_uuid", runId), ("metric_key", key), ("max_results", String(Self.historyPageSize))]
            if let token { q.append(("page_token", token)) }
            let page = try get(MLflowWire.MetricHistoryResponse.self, "metrics/get-history", q)
            out += page.items.map(\.model)
            token = page.nextPageToken
        } while token != nil
        if out.isEmpty { _ = try getRun(id: runId) }
        return out.enumerated().sorted { a, b in
            (a.element.step, a.element.timestamp, a.offset) < (b.element.step, b.element.timestamp, b.offset)
        }.map(\.element)
    }

    /// `max_results` of each history request (what MLflow's client sends).
    public static let historyPageSize = 25_000

    // MARK: Search

    public func searchRuns(_ query: RunQuery) throws -> Page<Run> {
        let body = MLflowWire.SearchRuns(experiment_ids: query.experimentIds, filter: query.filter.map(Self.filterText),
                                         run_view_type: query.viewType.rawValue, max_results: query.maxResults,
                                         order_by: query.ordering.keys.map(\.description),
                                         page_token: query.pageToken.flatMap { $0.isEmpty ? nil : $0 })
        let r = try post(MLflowWire.SearchRunsResponse.self, "runs/search", body)
        return Page(items: r.items.map(\.model), nextPageToken: r.nextPageToken)
    }

    /// The filter as MLflow's parser reads it: the canonical text, with exponents written
    /// `1e308` (MLflow's tokenizer rejects `1e+308`).
    static func filterText(_ filter: RunFilter) -> String {
        filter.clauses.map { c -> String in
            guard case .number = c.value else { return c.description }
            let number = c.value.description.replacingOccurrences(of: "e+", with: "e")
            return "\(c.entity.rawValue).\(RunFilterClause.quoteKey(c.key)) \(c.comparator.rawValue) \(number)"
        }.joined(separator: " AND ")
    }

    // MARK: Audit

    private var auditUnavailable: TrackingError {
        TrackingError(.invalidState, "the audit log is kept by the tracking server at \(uri); MLflow's REST protocol has no endpoint to read or append to it (open the server's own store, or use its web UI)")
    }

    public func audit(after: Int64?, limit: Int) throws -> [AuditEvent] { throw auditUnavailable }

    @discardableResult
    public func appendAudit(entityKind: AuditEntityKind, entityId: String, action: AuditAction, details: String, actor: String?) throws -> AuditEvent {
        throw auditUnavailable
    }
}
