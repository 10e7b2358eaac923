/// The tracking store: experiments, runs, params, metrics (full history), tags, dataset inputs and
/// the audit log, with MLflow's semantics and error codes (``TrackingError``). Every backend
/// (SQLite now; PostgreSQL and MLflow's REST protocol later) implements it and passes the shared
/// conformance suite.
///
/// Every mutation takes an optional `actor` recorded in the audit log (nil: the store's default,
/// `$USER`); the extension below offers each mutation without it.
///
/// ```swift
/// let store: any TrackingStore = try SQLiteTrackingStore(uri: TrackingURI.resolve())
/// let exp = try store.createExperiment(name: "churn")
/// let run = try store.createRun(experimentId: exp, runName: "baseline")
/// try store.logBatch(runId: run.info.runId, metrics: [Metric(key: "auc", value: 0.91, timestamp: 0)],
///                    params: [Param(key: "l2", value: "1.0")], tags: [])
/// try store.updateRun(id: run.info.runId, status: .finished, endTime: 1)
/// ```
public protocol TrackingStore: Sendable {
    // MARK: Experiments

    /// Creates an experiment; a name already used (also by a deleted experiment) is
    /// `RESOURCE_ALREADY_EXISTS`. Returns the new id.
    func createExperiment(name: String, artifactLocation: String?, tags: [ExperimentTag], actor: String?) throws -> String
    /// `RESOURCE_DOES_NOT_EXIST` for an unknown id (deleted experiments are returned).
    func getExperiment(id: String) throws -> Experiment
    /// nil when no experiment (active or deleted) has this name.
    func getExperimentByName(_ name: String) throws -> Experiment?
    /// Experiments of a view kept by the filter (``SearchGrammar/experiments``), ordered by
    /// `orderBy` then MLflow's default (`creation_time DESC, experiment_id ASC`), paged by MLflow's
    /// tokens.
    func searchExperiments(_ query: ExperimentQuery) throws -> Page<Experiment>
    func renameExperiment(id: String, newName: String, actor: String?) throws
    /// Marks the experiment and its runs deleted.
    func deleteExperiment(id: String, actor: String?) throws
    /// Marks the experiment and its runs active again.
    func restoreExperiment(id: String, actor: String?) throws
    func setExperimentTag(id: String, tag: ExperimentTag, actor: String?) throws
    func deleteExperimentTag(id: String, key: String, actor: String?) throws

    // MARK: Runs

    /// Creates a RUNNING run. `userId` nil: the actor. `runName` nil: the `mlflow.runName` tag or a
    /// generated `adjective-animal-NNN`; the tag is always set to the name. `startTime` nil: now.
    func createRun(experimentId: String, userId: String?, runName: String?, startTime: Int64?, tags: [RunTag], actor: String?) throws -> Run
    func getRun(id: String) throws -> Run
    /// Updates the given fields (nil: unchanged); renaming also updates the `mlflow.runName` tag.
    @discardableResult
    func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?, actor: String?) throws -> RunInfo
    func deleteRun(id: String, actor: String?) throws
    func restoreRun(id: String, actor: String?) throws

    // MARK: Logging (to an active run; a deleted run is INVALID_PARAMETER_VALUE as in MLflow)

    func logMetric(runId: String, metric: Metric, actor: String?) throws
    func logParam(runId: String, param: Param, actor: String?) throws
    /// Setting `mlflow.runName` renames the run.
    func setTag(runId: String, tag: RunTag, actor: String?) throws
    func deleteTag(runId: String, key: String, actor: String?) throws
    /// Metrics, params and tags in one transaction: all or nothing.
    func logBatch(runId: String, metrics: [Metric], params: [Param], tags: [RunTag], actor: String?) throws
    func logInputs(runId: String, datasets: [DatasetInput], actor: String?) throws
    /// Every logged point of `key`, ordered by step, then timestamp, then logging order.
    func getMetricHistory(runId: String, key: String) throws -> [Metric]

    // MARK: Search

    /// Runs of the given experiments in `viewType` that satisfy the filter (MLflow's grammar,
    /// ``RunFilter``), ordered by the ``RunOrdering`` then `start_time DESC, run_id ASC`, paged by
    /// MLflow's tokens (``SearchPageToken``). Results equal ``RunSearch`` over the same runs.
    func searchRuns(_ query: RunQuery) throws -> Page<Run>

    // MARK: Audit

    /// Audit events with id greater than `after` (nil: from the start), oldest first.
    func audit(after: Int64?, limit: Int) throws -> [AuditEvent]
    /// Records an event of another layer (the registry's promotions) in its own transaction.
    @discardableResult
    func appendAudit(entityKind: AuditEntityKind, entityId: String, action: AuditAction, details: String, actor: String?) throws -> AuditEvent
}

extension TrackingStore {
    @discardableResult
    public func createExperiment(name: String, artifactLocation: String? = nil, tags: [ExperimentTag] = []) throws -> String {
        try createExperiment(name: name, artifactLocation: artifactLocation, tags: tags, actor: nil)
    }
    /// Experiments of a view in MLflow's default order, one page.
    public func listExperiments(viewType: ViewType = .activeOnly, maxResults: Int = 1000, pageToken: String? = nil) throws -> Page<Experiment> {
        try searchExperiments(ExperimentQuery(viewType: viewType, maxResults: maxResults, pageToken: pageToken))
    }

    /// Every experiment of a view, all pages.
    public func allExperiments(viewType: ViewType = .activeOnly) throws -> [Experiment] {
        var out: [Experiment] = [], token: String? = nil
        repeat {
            let page = try listExperiments(viewType: viewType, maxResults: EntityValidation.maxSearchResults, pageToken: token)
            out += page.items
            token = page.nextPageToken
        } while token != nil
        return out
    }
    public func renameExperiment(id: String, newName: String) throws { try renameExperiment(id: id, newName: newName, actor: nil) }
    public func deleteExperiment(id: String) throws { try deleteExperiment(id: id, actor: nil) }
    public func restoreExperiment(id: String) throws { try restoreExperiment(id: id, actor: nil) }
    public func setExperimentTag(id: String, tag: ExperimentTag) throws { try setExperimentTag(id: id, tag: tag, actor: nil) }
    public func deleteExperimentTag(id: String, key: String) throws { try deleteExperimentTag(id: id, key: key, actor: nil) }

    public func createRun(experimentId: String, userId: String? = nil, runName: String? = nil, startTime: Int64? = nil,
                          tags: [RunTag] = []) throws -> Run {
        try createRun(experimentId: experimentId, userId: userId, runName: runName, startTime: startTime, tags: tags, actor: nil)
    }
    @discardableResult
    public func updateRun(id: String, status: RunStatus? = nil, endTime: Int64? = nil, runName: String? = nil) throws -> RunInfo {
        try updateRun(id: id, status: status, endTime: endTime, runName: runName, actor: nil)
    }
    public func deleteRun(id: String) throws { try deleteRun(id: id, actor: nil) }
    public func restoreRun(id: String) throws { try restoreRun(id: id, actor: nil) }
    public func logMetric(runId: String, metric: Metric) throws { try logMetric(runId: runId, metric: metric, actor: nil) }
    public func logParam(runId: String, param: Param) throws { try logParam(runId: runId, param: param, actor: nil) }
    public func setTag(runId: String, tag: RunTag) throws { try setTag(runId: runId, tag: tag, actor: nil) }
    public func deleteTag(runId: String, key: String) throws { try deleteTag(runId: runId, key: key, actor: nil) }
    public func logBatch(runId: String, metrics: [Metric] = [], params: [Param] = [], tags: [RunTag] = []) throws {
        try logBatch(runId: runId, metrics: metrics, params: params, tags: tags, actor: nil)
    }
    public func logInputs(runId: String, datasets: [DatasetInput]) throws { try logInputs(runId: runId, datasets: datasets, actor: nil) }

    /// Searches with MLflow's `filter` and `order_by` strings (parsed by ``RunQuery``; a bad one is
    /// `INVALID_PARAMETER_VALUE`).
    public func searchRuns(experimentIds: [String], filter: String? = nil, orderBy: [String] = [],
                           maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil,
                           viewType: ViewType = .activeOnly) throws -> Page<Run> {
        try searchRuns(try RunQuery(experimentIds: experimentIds, filter: filter, orderBy: orderBy, maxResults: maxResults,
                                    pageToken: pageToken, viewType: viewType))
    }

    /// Experiments with MLflow's `filter` (experiments grammar) and `order_by` strings.
    public func searchExperiments(viewType: ViewType = .activeOnly, filter: String? = nil, orderBy: [String] = [],
                                  maxResults: Int = RunSearch.defaultMaxResults, pageToken: String? = nil) throws -> Page<Experiment> {
        try searchExperiments(try ExperimentQuery(viewType: viewType, filter: filter, orderBy: orderBy, maxResults: maxResults,
                                                  pageToken: pageToken))
    }
}
