/// The MLflow 3 logged-model half of a tracking store: logged models (create, get, finalize, soft
/// delete, tags, params, search), the metric points runs attach to them, and the run ↔ model edges
/// (`runs/outputs`, the `models` of `runs/log-inputs`) that ``Run/outputs`` and
/// ``RunInputs/modelInputs`` show. Semantics and error codes are MLflow's SQL store's (reference
/// section 1.5); ``SQLiteTrackingStore`` implements it beside ``TrackingStore``.
///
/// ```swift
/// let store = try SQLiteTrackingStore(path: "mltrack/mltrack.db")
/// let m = try store.createLoggedModel(experimentId: "1", name: "model", sourceRunId: runId)
/// try store.logOutputs(runId: runId, models: [LoggedModelOutput(modelId: m.modelId, step: 0)])
/// try store.finalizeLoggedModel(id: m.modelId, status: .ready)
/// let page = try store.searchLoggedModels(try LoggedModelQuery(experimentIds: ["1"], filter: "name = 'model'"))
/// ```
public protocol LoggedModelStore: Sendable {
    /// Creates a `pending` model with id `m-<32 hex>` in an active experiment
    /// (`RESOURCE_DOES_NOT_EXIST` / `INVALID_PARAMETER_VALUE` otherwise). `name` nil or empty: a
    /// generated `adjective-animal-NNN`; a name holding `/ : . % " '` is `INVALID_PARAMETER_VALUE`.
    func createLoggedModel(experimentId: String, name: String?, modelType: String?, sourceRunId: String?,
                           params: [LoggedModelParameter], tags: [LoggedModelTag], actor: String?) throws -> LoggedModel
    /// `RESOURCE_DOES_NOT_EXIST` for an unknown id, and for a deleted one unless `allowDeleted`.
    func getLoggedModel(id: String, allowDeleted: Bool) throws -> LoggedModel
    /// Sets the status and moves `last_updated_timestamp` (also on a deleted model, as MLflow).
    @discardableResult
    func finalizeLoggedModel(id: String, status: LoggedModelStatus, actor: String?) throws -> LoggedModel
    /// Marks the model deleted (again: a no-op); searches and `get` no longer see it.
    func deleteLoggedModel(id: String, actor: String?) throws
    /// Sets tags, the last value of a key winning.
    func setLoggedModelTags(id: String, tags: [LoggedModelTag], actor: String?) throws
    /// `RESOURCE_DOES_NOT_EXIST` when the model has no such tag.
    func deleteLoggedModelTag(id: String, key: String, actor: String?) throws
    /// Write-once params: the same value again is a no-op, another value `INVALID_PARAMETER_VALUE`.
    func logLoggedModelParams(id: String, params: [LoggedModelParameter], actor: String?) throws
    /// Attaches metric points logged by an active run to existing logged models (an unknown model
    /// is `RESOURCE_DOES_NOT_EXIST`); a point identical in model, key, timestamp, step and run is
    /// kept once.
    func logLoggedModelMetrics(runId: String, metrics: [LoggedModelMetric], actor: String?) throws
    /// Records the models an active run produced (`runs/outputs`). As MLflow, the model ids are not
    /// checked; a (run, model) pair already recorded keeps its first step.
    func logOutputs(runId: String, models: [LoggedModelOutput], actor: String?) throws
    /// Records the models an active run used (`runs/log-inputs` `models`), each once.
    func logModelInputs(runId: String, models: [LoggedModelInput], actor: String?) throws
    /// Active models of the experiments kept by the filter (``SearchGrammar/loggedModels``) and the
    /// dataset filters, ordered by `orderBy` then `creation_timestamp DESC, model_id ASC`, paged by
    /// ``LoggedModelPageToken``.
    func searchLoggedModels(_ query: LoggedModelQuery) throws -> Page<LoggedModel>
}

extension LoggedModelStore {
    @discardableResult
    public func createLoggedModel(experimentId: String, name: String? = nil, modelType: String? = nil, sourceRunId: String? = nil,
                                  params: [LoggedModelParameter] = [], tags: [LoggedModelTag] = []) throws -> LoggedModel {
        try createLoggedModel(experimentId: experimentId, name: name, modelType: modelType, sourceRunId: sourceRunId,
                              params: params, tags: tags, actor: nil)
    }
    public func getLoggedModel(id: String) throws -> LoggedModel { try getLoggedModel(id: id, allowDeleted: false) }
    @discardableResult
    public func finalizeLoggedModel(id: String, status: LoggedModelStatus) throws -> LoggedModel {
        try finalizeLoggedModel(id: id, status: status, actor: nil)
    }
    public func deleteLoggedModel(id: String) throws { try deleteLoggedModel(id: id, actor: nil) }
    public func setLoggedModelTags(id: String, tags: [LoggedModelTag]) throws { try setLoggedModelTags(id: id, tags: tags, actor: nil) }
    public func deleteLoggedModelTag(id: String, key: String) throws { try deleteLoggedModelTag(id: id, key: key, actor: nil) }
    public func logLoggedModelParams(id: String, params: [LoggedModelParameter]) throws {
        try logLoggedModelParams(id: id, params: params, actor: nil)
    }
    public func logLoggedModelMetrics(runId: String, metrics: [LoggedModelMetric]) throws {
        try logLoggedModelMetrics(runId: runId, metrics: metrics, actor: nil)
    }
    public func logOutputs(runId: String, models: [LoggedModelOutput]) throws { try logOutputs(runId: runId, models: models, actor: nil) }
    public func logModelInputs(runId: String, models: [LoggedModelInput]) throws { try logModelInputs(runId: runId, models: models, actor: nil) }

    /// Where the files of logged model `modelId` live (its `artifact_uri`), for resolving a
    /// `models:/m-<id>` source, e.g. in `model-versions/get-download-uri`. Unknown or deleted:
    /// `RESOURCE_DOES_NOT_EXIST`.
    ///
    /// ```swift
    /// if let id = LoggedModel.modelId(fromURI: version.source) {
    ///     return try store.loggedModelArtifactURI(modelId: id)   // "mlflow-artifacts:/1/models/m-…/artifacts"
    /// }
    /// ```
    public func loggedModelArtifactURI(modelId: String) throws -> String {
        try getLoggedModel(id: modelId, allowDeleted: false).artifactUri
    }

    /// What `model-versions/get-download-uri` answers for a version's `source` (reference 2.3):
    /// the logged model's `artifact_uri` for `models:/m-<id>`, the source itself otherwise.
    ///
    /// ```swift
    /// try store.downloadURI(forModelVersionSource: "models:/m-3f2a…")   // "mlflow-artifacts:/1/models/m-3f2a…/artifacts"
    /// try store.downloadURI(forModelVersionSource: "mlflow-artifacts:/1/<run>/artifacts/model")   // unchanged
    /// ```
    public func downloadURI(forModelVersionSource source: String) throws -> String {
        guard let id = LoggedModel.modelId(fromURI: source) else { return source }
        return try loggedModelArtifactURI(modelId: id)
    }
}
